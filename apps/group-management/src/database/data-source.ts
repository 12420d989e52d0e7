import { DataSource, DataSourceOptions } from 'typeorm';
import { inboxMigrations } from '@playball/inbox';
import { outboxMigrations, outboxSubscriber } from '@playball/outbox';
import { defaultPoolSettings, poolOptions, PoolSettings, QueryLogger } from '@playball/platform/database';
import { rateLimitMigrations } from '@playball/platform/throttling';
import { Group } from '../groups/group.entity';
import { groupOutboxMapper } from '../groups/group.outbox-mapper';
import { Membership } from '../groups/membership.entity';
import { membershipOutboxMapper } from '../groups/membership.outbox-mapper';
import { UserView } from '../users/user-view.entity';
import { CreateUserView1764100000200 } from './migrations/1764100000200-create-user-view';
import { CreateGroups1764100000201 } from './migrations/1764100000201-create-groups';
import { AddCredentialsVersion1764100000202 } from './migrations/1764100000202-add-credentials-version';

export function groupManagementDataSourceOptions(
  url: string,
  pool: PoolSettings = defaultPoolSettings,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [UserView, Group, Membership],
    subscribers: [outboxSubscriber([groupOutboxMapper, membershipOutboxMapper])],
    migrations: [
      ...outboxMigrations,
      ...inboxMigrations,
      ...rateLimitMigrations,
      CreateUserView1764100000200,
      CreateGroups1764100000201,
      AddCredentialsVersion1764100000202,
    ],
    migrationsTableName: 'migrations',
    extra: poolOptions('group-management', pool),
    logging: ['error', 'warn', 'migration'],
    logger: new QueryLogger(),
  };
}

/** For the TypeORM CLI (migration:generate / migration:show). */
export default new DataSource(
  groupManagementDataSourceOptions(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/playball_group_management',
  ),
);
