import { Logger } from '@nestjs/common';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentPrivateKey } from './development-key';
import { signingKeys } from './signing-keys';

describe('developmentPrivateKey', () => {
  const directories: string[] = [];

  afterAll(async () => {
    await Promise.all(directories.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function setup() {
    const root = await mkdtemp(join(tmpdir(), 'auth-keys-'));
    directories.push(root);
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
    return { directory: join(root, 'nested', 'keys'), logger, warnings };
  }

  it('generates a key pair under the directory, readable by its owner only, and warns', async () => {
    const { directory, logger, warnings } = await setup();

    const pem = await developmentPrivateKey(directory, logger);

    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await readdir(directory)).toEqual(['jwt-private.pem']);
    expect((await stat(join(directory, 'jwt-private.pem'))).mode & 0o777).toBe(0o600);
    expect(warnings.join('\n')).toMatch(/JWT_PRIVATE_KEY is not set/);
  });

  it('keeps the key across restarts', async () => {
    const { directory, logger } = await setup();

    const first = await developmentPrivateKey(directory, logger);
    const second = await developmentPrivateKey(directory, logger);

    expect(second).toBe(first);
  });

  it('gives instances that start at once the same key', async () => {
    const { directory, logger } = await setup();

    const pems = await Promise.all([1, 2, 3].map(() => developmentPrivateKey(directory, logger)));

    const kids = await Promise.all(pems.map(async (pem) => (await signingKeys(pem)).kid));
    expect(new Set(kids).size).toBe(1);
    expect(await readdir(directory)).toEqual(['jwt-private.pem']);
  });
});
