import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthApp } from '../../apps/auth/src/app';
import { loadAuthConfig } from '../../apps/auth/src/config';
import { createGroupManagementApp } from '../../apps/group-management/src/app';
import { loadGroupManagementConfig } from '../../apps/group-management/src/config';
import { InboxConsumerStatus } from '@playball/inbox';
import { createTestDatabase, TestDatabase } from './databases';
import { kafkaBrokers } from './infrastructure';
import { withDeadline } from './eventually';
import { uniqueName } from './kafka';

export interface RunningApp {
  app: INestApplication;
  url: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/** Settings that keep in-process apps quick to react in tests (defaults are tuned for production). */
const quick = { OUTBOX_POLL_INTERVAL_MS: '100', LOG_LEVEL: 'warn', DB_MIGRATIONS_RUN: 'false' };

/** A topic namespace for one test file: its apps see only their own records. */
export function uniquePrefix(): string {
  return `${uniqueName('t')}.`;
}

async function listen(
  app: INestApplication,
  database: TestDatabase,
  cleanup: () => void = () => {},
  ownsDatabase = true,
): Promise<RunningApp> {
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    database,
    close: async () => {
      await app.close();
      if (ownsDatabase) await database.drop();
      cleanup();
    },
  };
}

/**
 * auth in this process. Given `shared`, the database of another instance (which the caller drops),
 * it runs as one more instance of the same deployment.
 */
export async function startAuth(
  prefix: string,
  env: Record<string, string> = {},
  shared?: TestDatabase,
): Promise<RunningApp> {
  const database = shared ?? (await createTestDatabase('auth'));
  const keysDir = mkdtempSync(join(tmpdir(), 'playball-keys-'));
  const config = loadAuthConfig({
    ...quick,
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    JWT_KEYS_DIR: keysDir,
    // Tests sign up many users from one address; the throttling tests set their own limits.
    AUTH_THROTTLE_LIMIT: '100000',
    AUTH_THROTTLE_ACCOUNT_LIMIT: '100000',
    // OWASP's minimum argon2id cost keeps the suites fast; the default cost is the production one.
    PASSWORD_HASH_MEMORY_KIB: '19456',
    PASSWORD_HASH_PASSES: '2',
    ...env,
  });
  const app = await createAuthApp(config);
  return listen(app, database, () => rmSync(keysDir, { recursive: true, force: true }), !shared);
}

export async function startGroupManagement(
  prefix: string,
  authUrl: string,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const database = await createTestDatabase('group_management');
  const config = loadGroupManagementConfig({
    ...quick,
    DATABASE_URL: database.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_CONSUMER_GROUP: uniqueName('group-management'),
    AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`,
    WRITE_THROTTLE_LIMIT: '100000',
    WRITE_THROTTLE_ACCOUNT_LIMIT: '100000',
    ...env,
  });
  const app = await createGroupManagementApp(config);
  await app.startAllMicroservices();
  // The consumer connects in the background; tests expect it in its group, as /health does.
  await withDeadline(app.get(InboxConsumerStatus).whenConsuming(), 30_000, 'the consumer did not join its group');
  return listen(app, database);
}
