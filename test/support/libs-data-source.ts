import { DataSourceOptions } from 'typeorm';
import { inboxMigrations } from '@playball/inbox';
import { outboxMigrations } from '@playball/outbox';

/** The libs' own tables, for tests of libs/outbox and libs/inbox without either app. */
export function libsDataSourceOptions(url: string): DataSourceOptions {
  return { type: 'postgres', url, migrations: [...outboxMigrations, ...inboxMigrations], logging: ['error'] };
}
