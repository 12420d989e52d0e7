import { generateKeyPairSync } from 'node:crypto';
import { loadAuthConfig } from '../config';
import { signingKeys } from './signing-keys';
import { TokenService } from './token.service';

describe('TokenService', () => {
  afterEach(() => jest.useRealTimers());

  async function setup(ttlSeconds: number) {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }) as string;
    const config = { ...loadAuthConfig({}), JWT_TTL_SECONDS: ttlSeconds };
    return new TokenService(await signingKeys(pem), config);
  }

  it('refuses a token it verified before once the token has expired (beyond the 5 s clock tolerance)', async () => {
    const start = Date.parse('2026-11-27T12:00:00Z');
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const tokens = await setup(60);
    const token = await tokens.issue({ id: '0195a1c2-7d7e-7b3a-9c1d-2f3e4a5b6c7d', version: 1 });

    await expect(tokens.verify(token)).resolves.toEqual({
      userId: '0195a1c2-7d7e-7b3a-9c1d-2f3e4a5b6c7d',
      userVersion: 1,
    });
    jest.setSystemTime(start + 64_000);
    await expect(tokens.verify(token)).resolves.toMatchObject({ userVersion: 1 });
    jest.setSystemTime(start + 65_000);
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });

  it('refuses a token whose signature was altered after the genuine one was verified', async () => {
    const tokens = await setup(60);
    const token = await tokens.issue({ id: '0195a1c2-7d7e-7b3a-9c1d-2f3e4a5b6c7d', version: 1 });
    await tokens.verify(token);

    const [header, payload, signature] = token.split('.');
    const altered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(tokens.verify(altered)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });
});
