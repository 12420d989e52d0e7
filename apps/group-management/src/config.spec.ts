import { ConfigError } from '@playball/platform/config';
import { loadGroupManagementConfig } from './config';

describe('loadGroupManagementConfig', () => {
  it.each([
    'https://auth.example.com/.well-known/jwks.json',
    'http://127.0.0.1:3001/.well-known/jwks.json',
    'http://127.8.9.10/.well-known/jwks.json',
    'http://localhost:3001/.well-known/jwks.json',
    'http://[::1]:3001/.well-known/jwks.json',
  ])('accepts the JWKS URL %s', (url) => {
    expect(loadGroupManagementConfig({ AUTH_JWKS_URL: url }).AUTH_JWKS_URL).toBe(url);
  });

  it.each([
    'http://auth.example.com/.well-known/jwks.json',
    'http://10.0.0.5:3001/.well-known/jwks.json',
    'http://127.0.0.1.example.com/.well-known/jwks.json',
  ])('refuses plain http to %s, which is not loopback', (url) => {
    const load = () => loadGroupManagementConfig({ AUTH_JWKS_URL: url });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/AUTH_JWKS_URL: must be https unless it names a loopback host/);
  });

  it('refuses a scheme other than http(s)', () => {
    expect(() => loadGroupManagementConfig({ AUTH_JWKS_URL: 'file:///etc/jwks.json' })).toThrow(/AUTH_JWKS_URL/);
  });

  it('allows plain http to another host only when told it is a private network', () => {
    const url = 'http://auth:3001/.well-known/jwks.json';

    expect(loadGroupManagementConfig({ AUTH_JWKS_URL: url, AUTH_JWKS_ALLOW_HTTP: 'true' }).AUTH_JWKS_URL).toBe(url);
  });
});
