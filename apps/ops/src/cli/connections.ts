import { Admin, Kafka } from 'kafkajs';
import { DataSource, DataSourceOptions } from 'typeorm';
import { kafkaClientConfig, KafkaEnv } from '@playball/platform/kafka';
import { isTransient } from '@playball/platform/retry';
import { authDataSourceOptions } from '../../../auth/src/database/data-source';
import { groupManagementDataSourceOptions } from '../../../group-management/src/database/data-source';
import { AppConfigs, AppName } from './app-config';
import { OpsError } from './exit-codes';

/** A command needs a couple of connections at most; the app's pool size is for its HTTP load. */
const OPS_POOL_SIZE = 3;

/**
 * The app's database through the app's own data source options (entities, pool bounds, statement
 * timeout), named `playball-ops` in pg_stat_activity. Migrations are the app's to run, never ops'.
 */
export async function withDatabase<A extends AppName, T>(
  app: A,
  config: AppConfigs[A],
  work: (db: DataSource) => Promise<T>,
): Promise<T> {
  const pool = { ...config, DATABASE_POOL_SIZE: OPS_POOL_SIZE };
  const options =
    app === 'auth'
      ? authDataSourceOptions(config.DATABASE_URL, pool)
      : groupManagementDataSourceOptions(config.DATABASE_URL, pool);
  const db = new DataSource({
    ...options,
    extra: { ...(options.extra as object), application_name: 'playball-ops' },
    logging: false,
  } as DataSourceOptions);
  try {
    await db.initialize();
  } catch (error) {
    throw new OpsError('unreachable', `${app}'s database did not answer: ${(error as Error).message}`);
  }
  try {
    return await work(db);
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

export function kafkaClient(config: KafkaEnv): Kafka {
  return new Kafka(kafkaClientConfig(config, 'ops'));
}

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    throw new OpsError('unreachable', `the Kafka broker did not answer: ${(error as Error).message}`);
  }
  try {
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const kafkaConnectionErrors = new Set([
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
  'KafkaJSConnectionClosedError',
]);

/** Whether a failure says PostgreSQL or Kafka went away (exit 4) rather than the command being wrong. */
export function isUnreachable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (kafkaConnectionErrors.has(e.name)) return true;
  }
  return isTransient(error);
}
