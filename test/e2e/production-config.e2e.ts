import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/infrastructure';

/** The built apps, started as a deployment would start them, refuse an unsafe configuration. */
describe('starting in production', () => {
  function start(app: 'auth' | 'group-management', env: Record<string, string>) {
    const main = join(repoRoot, 'dist/apps', app, 'apps', app, 'src/main.js');
    const { JWT_PRIVATE_KEY: _key, AUTH_JWKS_URL: _url, ...inherited } = process.env;
    return spawnSync(process.execPath, [main], {
      cwd: repoRoot,
      env: { ...inherited, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('auth refuses to start without a signing key, saying which variable and why', () => {
    const result = start('auth', { NODE_ENV: 'production' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('JWT_PRIVATE_KEY: required when NODE_ENV=production');
  });

  it('group-management refuses a plain-http JWKS URL off loopback', () => {
    const result = start('group-management', { AUTH_JWKS_URL: 'http://auth.example.com/.well-known/jwks.json' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AUTH_JWKS_URL: must be https');
  });
});
