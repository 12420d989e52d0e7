import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topics } from '@playball/events';
import { InboxConsumerStatus, InboxModule } from '@playball/inbox';
import { OutboxModule, OutboxRelayService } from '@playball/outbox';
import { HOUR_MS } from '@playball/platform/config';
import { AsyncApiController } from '@playball/platform/openapi';
import { HealthController, healthChecksProvider } from '@playball/platform/health';
import { MetricsController } from '@playball/platform/observability';
import { RateLimitModule } from '@playball/platform/throttling';
import { accountOf } from './auth/account-of';
import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from './config';
import { groupManagementDataSourceOptions } from './database/data-source';
import { PassportModule } from '@nestjs/passport';
import { JwksKeys } from './auth/jwks-keys';
import { JwtStrategy } from './auth/jwt.strategy';
import { GroupsModule } from './groups/groups.module';
import { UserEventsConsumer } from './user-events/user-events.consumer';
import { UserViewWaiter } from './auth/user-view.waiter';
import { UserViewService } from './users/user-view.service';

@Module({})
export class AppModule {
  static forRoot(config: GroupManagementConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...groupManagementDataSourceOptions(config.DATABASE_URL, config),
          migrationsRun: config.DB_MIGRATIONS_RUN,
        }),
        OutboxModule.forService('group-management', [Topics.group], config),
        InboxModule.forRootAsync({
          useFactory: () => ({
            consumerGroup: config.KAFKA_CONSUMER_GROUP,
            retentionMs: config.INBOX_RETENTION_HOURS * HOUR_MS,
          }),
        }),
        PassportModule,
        RateLimitModule.forRoot(
          {
            ttlMs: config.WRITE_THROTTLE_TTL_MS,
            perClient: config.WRITE_THROTTLE_LIMIT,
            perAccount: config.WRITE_THROTTLE_ACCOUNT_LIMIT,
          },
          accountOf,
        ),
        GroupsModule,
      ],
      controllers: [HealthController, MetricsController, AsyncApiController, UserEventsConsumer],
      providers: [
        { provide: GROUP_MANAGEMENT_CONFIG, useValue: config },
        UserViewService,
        UserViewWaiter,
        JwksKeys,
        JwtStrategy,
        healthChecksProvider(config, [OutboxRelayService, InboxConsumerStatus]),
      ],
    };
  }
}
