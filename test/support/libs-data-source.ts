import { DataSourceOptions } from 'typeorm';
import { inboxMigrations } from '@playball/inbox';
import { outboxMigrations } from '@playball/outbox';
import { rateLimitMigrations } from '@playball/platform/throttling';

/** The libs' own tables, for tests of libs/outbox, libs/inbox and the rate limits without either app. */
export function libsDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: [...outboxMigrations, ...inboxMigrations, ...rateLimitMigrations],
    logging: ['error'],
  };
}
