import { Logger } from '@nestjs/common';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const FILE_NAME = 'jwt-private.pem';

/**
 * The signing key for a development machine, where JWT_PRIVATE_KEY is unset: generated once, then
 * kept under `directory` so that tokens survive a restart and other local instances share it.
 */
export async function developmentPrivateKey(directory: string, logger: Logger): Promise<string> {
  const path = resolve(join(directory, FILE_NAME));
  logger.warn(`JWT_PRIVATE_KEY is not set: signing tokens with the development key ${path}. Set it in production.`);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return existing;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  await mkdir(directory, { recursive: true, mode: 0o700 });
  // Written aside, then linked into place: a link never half-exists and fails if the name is taken,
  // so when two instances start at once both end up with the first one's whole key.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    logger.warn(`generated a development JWT key pair in ${path}`);
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFile(path, 'utf8');
    throw error;
  } finally {
    await unlink(temporary);
  }
}
