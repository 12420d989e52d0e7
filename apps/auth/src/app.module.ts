import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Topics } from '@playball/events';
import { OutboxModule, OutboxRelayService } from '@playball/outbox';
import {
  DatabaseCheck,
  HEALTH_CHECKS,
  HealthCheck,
  HealthController,
  KafkaCheck,
  kafkaClientConfig,
  MetricsController,
} from '@playball/platform';
import { AuthConfig } from './config';
import { AuthConfigModule } from './config.module';
import { authDataSourceOptions } from './database/data-source';
import { ThrottlingModule } from './throttling/throttling.module';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AuthConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...authDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
          migrationsRun: config.DB_MIGRATIONS_RUN,
        }),
        OutboxModule.forRootAsync({
          useFactory: () => ({
            service: 'auth',
            databaseUrl: config.DATABASE_URL,
            kafka: config,
            topicPrefix: config.KAFKA_TOPIC_PREFIX,
            partitions: config.KAFKA_TOPIC_PARTITIONS,
            topics: [Topics.user],
            relayEnabled: config.OUTBOX_RELAY_ENABLED,
            relay: {
              batchSize: config.OUTBOX_BATCH_SIZE,
              pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
              retentionMs: config.OUTBOX_RETENTION_HOURS * 60 * 60 * 1000,
            },
          }),
        }),
        ThrottlingModule,
        TokensModule,
        UsersModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        {
          provide: HEALTH_CHECKS,
          inject: [DataSource, OutboxRelayService],
          useFactory: (db: DataSource, relay: OutboxRelayService): HealthCheck[] => [
            new DatabaseCheck(db),
            new KafkaCheck(new Kafka(kafkaClientConfig(config, 'health'))),
            relay,
          ],
        },
      ],
    };
  }
}
