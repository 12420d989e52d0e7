import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Topics } from '@playball/events';
import { InboxModule } from '@playball/inbox';
import { OutboxModule, OutboxRelayService } from '@playball/outbox';
import {
  DatabaseCheck,
  HEALTH_CHECKS,
  HealthController,
  KafkaCheck,
  kafkaClientConfig,
  MetricsController,
} from '@playball/platform';
import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from './config';
import { groupManagementDataSourceOptions } from './database/data-source';
import { PassportModule } from '@nestjs/passport';
import { JwksKeys } from './auth/jwks-keys';
import { JwtStrategy } from './auth/jwt.strategy';
import { GroupsModule } from './groups/groups.module';
import { UserEventsConsumer } from './users/user-events.consumer';
import { UserViewWaiter } from './users/user-view.waiter';
import { UserViewService } from './users/user-view.service';

@Module({})
export class AppModule {
  static forRoot(config: GroupManagementConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          ...groupManagementDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
          migrationsRun: config.DB_MIGRATIONS_RUN,
        }),
        OutboxModule.forRootAsync({
          useFactory: () => ({
            service: 'group-management',
            databaseUrl: config.DATABASE_URL,
            kafka: config,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            partitions: config.KAFKA_TOPIC_PARTITIONS,
            topics: [Topics.group],
            relayEnabled: config.OUTBOX_RELAY_ENABLED,
            relay: {
              batchSize: config.OUTBOX_BATCH_SIZE,
              pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
              retentionMs: config.OUTBOX_RETENTION_HOURS * 60 * 60 * 1000,
            },
          }),
        }),
        InboxModule.forRootAsync({
          useFactory: () => ({
            consumerGroup: config.KAFKA_CONSUMER_GROUP,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            retentionMs: config.INBOX_RETENTION_HOURS * 60 * 60 * 1000,
          }),
        }),
        PassportModule,
        GroupsModule,
      ],
      controllers: [HealthController, MetricsController, UserEventsConsumer],
      providers: [
        { provide: GROUP_MANAGEMENT_CONFIG, useValue: config },
        UserViewService,
        UserViewWaiter,
        JwksKeys,
        JwtStrategy,
        {
          provide: HEALTH_CHECKS,
          inject: [DataSource, OutboxRelayService],
          useFactory: (db: DataSource, relay: OutboxRelayService) => [
            new DatabaseCheck(db),
            new KafkaCheck(new Kafka(kafkaClientConfig(config, 'health'))),
            relay,
          ],
        },
      ],
    };
  }
}
