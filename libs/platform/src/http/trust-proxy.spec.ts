import { z } from 'zod';
import { parseEnv } from '../config/parse-env';
import { trustProxyEnv } from './trust-proxy';

describe('TRUST_PROXY', () => {
  const parse = (value?: string) => parseEnv(z.object(trustProxyEnv.shape), { TRUST_PROXY: value }).TRUST_PROXY;

  it.each([
    [undefined, false],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7,uniquelocal', ['10.0.0.0/8', '192.168.1.7', 'uniquelocal']],
    ['fd00::/8,::1', ['fd00::/8', '::1']],
  ])('takes %s as %j', (value, expected) => {
    expect(parse(value)).toEqual(expected);
  });

  it('refuses true, which would let any client claim any address', () => {
    expect(() => parse('true')).toThrow(/TRUST_PROXY: true would trust every hop/);
  });

  it.each(['0', 'yes', '10.0.0.0/33', '300.1.1.1', 'proxy.example.com', '10.0.0.1/8/2'])('refuses %s', (value) => {
    expect(() => parse(value)).toThrow(/TRUST_PROXY: false, a hop count, or a comma-separated list/);
  });
});
