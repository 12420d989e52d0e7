import { INestApplication } from '@nestjs/common';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { Topics, topicName } from '@playball/events';
import { MetricsServer } from '@playball/platform/observability';
import { createAuthApp } from '../../../../apps/auth/src/app';
import { AuthConfig, loadAuthConfig } from '../../../../apps/auth/src/config';
import { createTestDatabase, TestDatabase } from '../../../support/databases';
import { eventually } from '../../../support/eventually';
import { TopicReader, uniqueName, withAdmin } from '../../../support/kafka';
import { kafkaBrokers } from '../../../support/infrastructure';

/** One signing key for the whole test process, so tests can also forge tokens the app must refuse. */
const { privateKey: testSigningKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

export interface AuthTestApp {
  app: INestApplication;
  url: string;
  /** `/metrics`, served apart from the API (METRICS_PORT, a free one here). */
  metricsUrl: string;
  config: AuthConfig;
  database: TestDatabase;
  /** The key the app signs with (JWT_PRIVATE_KEY). */
  signingKey: KeyObject;
  /** `<prefix>auth.user.v1`. */
  userTopic: string;
  /** Reads the user topic from the beginning; started on first use, once the app has created the topic. */
  userEvents(): Promise<TopicReader>;
  close(): Promise<void>;
}

/**
 * The auth app in this process on a free port, with its own database and topic prefix. The default
 * throttle is far above what a test file sends.
 */
export async function startAuthApp(env: Record<string, string> = {}): Promise<AuthTestApp> {
  const database = await createTestDatabase('auth');
  const config = loadAuthConfig({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: `${uniqueName('t')}.`,
    KAFKA_TOPIC_PARTITIONS: '2',
    OUTBOX_POLL_INTERVAL_MS: '50',
    JWT_PRIVATE_KEY: testSigningKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    AUTH_THROTTLE_LIMIT: '10000',
    AUTH_THROTTLE_ACCOUNT_LIMIT: '10000',
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    ...env,
  });
  const app = await createAuthApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const userTopic = topicName(Topics.user.name, config.KAFKA_TOPIC_PREFIX);
  let reader: Promise<TopicReader> | undefined;
  return {
    app,
    url,
    metricsUrl: app.get(MetricsServer).url,
    config,
    database,
    signingKey: testSigningKey,
    userTopic,
    userEvents: () => (reader ??= startReader(userTopic)),
    async close() {
      await app.close();
      await (await reader)?.stop();
      await database.drop();
      // Only this app's own topics: the prefix is unique to it (and never empty here).
      if (config.KAFKA_TOPIC_PREFIX === '') return;
      await withAdmin(async (admin) => {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(config.KAFKA_TOPIC_PREFIX));
        if (topics.length > 0) await admin.deleteTopics({ topics });
      });
    },
  };
}

/** The relay creates the topic with its first publish; a reader can only subscribe after that. */
async function startReader(topic: string): Promise<TopicReader> {
  await eventually(async () => {
    const topics = await withAdmin((admin) => admin.listTopics());
    if (!topics.includes(topic)) throw new Error(`${topic} does not exist yet`);
  }, 20_000);
  return new TopicReader([topic]).start();
}

/**
 * The auth app for every test of the calling `describe`: started in its beforeAll, closed in its
 * afterAll. The returned object is filled in by beforeAll, so read it inside tests and `setup()` only.
 */
export function authAppForTests(env: Record<string, string> = {}): AuthTestApp {
  const auth = {} as AuthTestApp;
  let started: AuthTestApp | undefined;
  beforeAll(async () => {
    started = await startAuthApp(env);
    Object.assign(auth, started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return auth;
}
