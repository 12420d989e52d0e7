import { DataSource, DataSourceOptions } from 'typeorm';
import { outboxMigrations, outboxSubscriber } from '@playball/outbox';
import { defaultPoolSettings, poolOptions, PoolSettings, QueryLogger } from '@playball/platform/database';
import { rateLimitMigrations } from '@playball/platform/throttling';
import { User } from '../users/user.entity';
import { userOutboxMapper } from '../users/user.outbox-mapper';
import { CreateUsers1764100000100 } from './migrations/1764100000100-create-users';
import { AddCredentialsVersion1764100000101 } from './migrations/1764100000101-add-credentials-version';

export function authDataSourceOptions(url: string, pool: PoolSettings = defaultPoolSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [User],
    subscribers: [outboxSubscriber([userOutboxMapper])],
    migrations: [
      ...outboxMigrations,
      ...rateLimitMigrations,
      CreateUsers1764100000100,
      AddCredentialsVersion1764100000101,
    ],
    migrationsTableName: 'migrations',
    extra: poolOptions('auth', pool),
    logging: ['error', 'warn', 'migration'],
    logger: new QueryLogger(),
  };
}

/** For the TypeORM CLI (migration:generate / migration:show). */
export default new DataSource(
  authDataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/playball_auth'),
);
