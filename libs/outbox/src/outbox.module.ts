import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TopicSpec } from '@playball/events';
import { defaultPoolSettings, poolOf } from '@playball/platform/database';
import { HealthCheck, HealthCheckResult } from '@playball/platform/health';
import { KafkaEnv } from '@playball/platform/kafka';
import { LoggerSettings } from '@playball/platform/observability';
import { HOUR_MS, ServiceEnv } from '@playball/platform/config';
import { OutboxEnv } from './outbox-env';
import { KafkaOutboxPublisher } from './relay/kafka-publisher';
import { defaultRelayOptions, RelayOptions } from './relay/outbox-relay';
import { RelayThread } from './relay/relay-thread';
import { backlog } from './sql/backlog';

export interface OutboxModuleOptions {
  service: string;
  databaseUrl: string;
  kafka: KafkaEnv;
  topicPrefix: string;
  partitions: number;
  /** The topics this service publishes; created at start-up. */
  topics: TopicSpec[];
  /** Off for processes that only write (e.g. a one-off script); the rows wait for a relay. */
  relayEnabled: boolean;
  relay?: Partial<Omit<RelayOptions, 'service' | 'databaseUrl'>>;
  /** The relay thread's statement timeout (the app's own, DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** The relay thread's logger (the app's LOG_LEVEL and LOG_FORMAT). */
  log?: LoggerSettings;
}

/** Claim, mark and prune, one at a time each, plus a backlog query: 3 connections keep them apart. */
const RELAY_POOL_SIZE = 3;

const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

/** Runs the relay on its own thread for the app's lifetime and reports its backlog in /health. */
@Injectable()
export class OutboxRelayService
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown, HealthCheck
{
  readonly name = 'outbox';
  private readonly logger = new Logger('Outbox');
  private readonly relay: RelayThread;
  /** Creates the topics at start-up; the relay thread publishes through its own. */
  private readonly publisher: KafkaOutboxPublisher;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
  ) {
    const topics = { kafka: options.kafka, topicPrefix: options.topicPrefix, partitions: options.partitions };
    this.publisher = new KafkaOutboxPublisher({ ...topics, topics: options.topics });
    this.relay = new RelayThread({
      ...topics,
      topics: options.topics,
      relay: { ...defaultRelayOptions, ...options.relay, service: options.service, databaseUrl: options.databaseUrl },
      poolSize: RELAY_POOL_SIZE,
      statementTimeoutMs: options.statementTimeoutMs ?? defaultPoolSettings.DATABASE_STATEMENT_TIMEOUT_MS,
      log: options.log ?? { service: options.service, level: 'log', format: 'auto' },
    });
  }

  /**
   * Topics are created at start-up, so consumers can subscribe as soon as the app is up. A broker
   * that is down does not stop the app from starting: the relay creates them before its first publish.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.publisher
      .ensureTopics()
      .catch((error: Error) => this.logger.warn(`creating topics at start-up failed, will retry: ${error.message}`));
    if (this.options.relayEnabled) await this.relay.start();
  }

  /** Before any onApplicationShutdown, like the in-process relay was: the batch in flight finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }

  async check(): Promise<HealthCheckResult> {
    return { status: 'up', leader: this.relay.isLeader, ...(await backlog(poolOf(this.dataSource))) };
  }
}

@Module({})
export class OutboxModule {
  /** The outbox of a service configured from its environment (`serviceEnv` + `outboxEnv`). */
  static forService(service: string, topics: TopicSpec[], env: ServiceEnv & OutboxEnv): DynamicModule {
    return OutboxModule.forRoot({
      service,
      databaseUrl: env.DATABASE_URL,
      kafka: env,
      topicPrefix: env.KAFKA_TOPIC_PREFIX,
      partitions: env.KAFKA_TOPIC_PARTITIONS,
      topics,
      relayEnabled: env.OUTBOX_RELAY_ENABLED,
      relay: {
        batchSize: env.OUTBOX_BATCH_SIZE,
        pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
        lingerMs: env.OUTBOX_LINGER_MS,
        retentionMs: env.OUTBOX_RETENTION_HOURS * HOUR_MS,
      },
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      log: { service, level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    });
  }

  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [{ provide: OUTBOX_OPTIONS, useValue: options }, OutboxRelayService],
      exports: [OutboxRelayService],
    };
  }
}
