import { DataSource, DataSourceOptions } from 'typeorm';
import { inboxMigrations } from '@playball/inbox';
import { outboxMigrations, outboxSubscriber } from '@playball/outbox';
import { UserView } from '../users/user-view.entity';
import { CreateUserView1764100000200 } from './migrations/1764100000200-create-user-view';

export function groupManagementDataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [UserView],
    subscribers: [outboxSubscriber([])],
    migrations: [...outboxMigrations, ...inboxMigrations, CreateUserView1764100000200],
    migrationsTableName: 'migrations',
    extra: { max: poolSize, application_name: 'group-management' },
    logging: ['error', 'warn', 'migration'],
  };
}

/** For the TypeORM CLI (migration:generate / migration:show). */
export default new DataSource(
  groupManagementDataSourceOptions(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/playball_group_management',
  ),
);
