import {
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HOUR_MS } from '@playball/platform/config';
import { poolOf, pruneOlderThan } from '@playball/platform/database';
import { InboxConsumerStatus } from './consumer-status';
import { defaultInboxConsumerOptions, InboxConsumer, InboxConsumerOptions } from './inbox-consumer';
import { processedInboxRows } from './sql/prune-processed';

export interface InboxModuleOptions extends Partial<InboxConsumerOptions> {
  consumerGroup: string;
  retentionMs?: number;
  pruneIntervalMs?: number;
}

export const defaultInboxPruneOptions = {
  /**
   * How long an event id is remembered. It must outlast any redelivery Kafka can make: offsets are
   * committed within seconds, so 14 days covers a consumer group restored from an old backup too.
   */
  retentionMs: 14 * 24 * HOUR_MS,
  pruneIntervalMs: HOUR_MS,
} satisfies Partial<InboxModuleOptions>;

const INBOX_OPTIONS = Symbol('INBOX_OPTIONS');

/** The app's inbox: one InboxConsumer for its handlers, and pruning of old inbox rows. */
@Injectable()
export class Inbox extends InboxConsumer implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly pruneLogger = new Logger('InboxPrune');
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<number> | undefined;

  constructor(
    @Inject(INBOX_OPTIONS) private readonly moduleOptions: InboxModuleOptions,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
  ) {
    super(dataSource, { ...defaultInboxConsumerOptions, ...moduleOptions });
  }

  onApplicationBootstrap(): void {
    const { pruneIntervalMs } = { ...defaultInboxPruneOptions, ...this.moduleOptions };
    this.pruneTimer = setInterval(() => void this.prune(), pruneIntervalMs);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruneTimer);
  }

  /**
   * After Nest has closed the Kafka server (which already gives up a message stuck in a retry
   * loop): stopping earlier, in onModuleDestroy, would fail every message fetched meanwhile and
   * make kafkajs crash and rebalance the group on each clean shutdown of a hybrid app.
   */
  onApplicationShutdown(): void {
    this.stop();
  }

  /** Deletes the rows older than the retention; a run after downtime takes as many batches as it needs. */
  prune(): Promise<number> {
    // The timer may fire while a long run is still deleting; one run at a time.
    this.pruning ??= this.pruneAll().finally(() => (this.pruning = undefined));
    return this.pruning;
  }

  private async pruneAll(): Promise<number> {
    const { retentionMs } = { ...defaultInboxPruneOptions, ...this.moduleOptions };
    try {
      return await pruneOlderThan(poolOf(this.dataSource), processedInboxRows, retentionMs);
    } catch (error) {
      this.pruneLogger.warn(`pruning the inbox failed: ${(error as Error).message}`);
      return 0;
    }
  }
}

@Module({})
export class InboxModule {
  static forRootAsync(options: {
    inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
    useFactory: (...args: never[]) => InboxModuleOptions;
  }): DynamicModule {
    return {
      module: InboxModule,
      global: true,
      providers: [
        { provide: INBOX_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        Inbox,
        InboxConsumerStatus,
      ],
      exports: [Inbox, InboxConsumerStatus],
    };
  }
}
