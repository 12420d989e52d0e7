import { generateKeyPairSync } from 'node:crypto';
import { ConfigError } from '@playball/platform/config';
import { loadAuthConfig } from './config';

describe('loadAuthConfig', () => {
  function pem(): string {
    return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
  }

  it('refuses to start in production without a signing key, saying why', () => {
    const load = () => loadAuthConfig({ NODE_ENV: 'production' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/JWT_PRIVATE_KEY: required when NODE_ENV=production/);
  });

  it('starts in production with a signing key, and elsewhere without one (the development key)', () => {
    expect(loadAuthConfig({ NODE_ENV: 'production', JWT_PRIVATE_KEY: pem() }).NODE_ENV).toBe('production');
    expect(loadAuthConfig({}).JWT_PRIVATE_KEY).toBeUndefined();
  });
});
