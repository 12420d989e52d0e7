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
import { InboxConsumerStatus } from './consumer-status';
import { defaultInboxConsumerOptions, InboxConsumer, InboxConsumerOptions } from './inbox-consumer';
import { pruneProcessed } from './sql/prune-processed';

export interface InboxModuleOptions extends Partial<InboxConsumerOptions> {
  consumerGroup: string;
  /**
   * How long an event id is remembered. It must outlast any redelivery Kafka can make: offsets are
   * committed within seconds, so 14 days covers a consumer group restored from an old backup too.
   */
  retentionMs?: number;
  pruneIntervalMs?: number;
}

const INBOX_OPTIONS = Symbol('INBOX_OPTIONS');

// 10,000 rows keep one delete well under a second (as the outbox's prune), so no run holds the
// table long, however large the backlog.
const pruneBatchSize = 10_000;

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
    this.pruneTimer = setInterval(() => void this.prune(), this.moduleOptions.pruneIntervalMs ?? 60 * 60 * 1000);
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
    const retentionMs = this.moduleOptions.retentionMs ?? 14 * 24 * 60 * 60 * 1000;
    let total = 0;
    try {
      for (;;) {
        const deleted = await pruneProcessed(this.dataSource, retentionMs, pruneBatchSize);
        total += deleted;
        if (deleted < pruneBatchSize) return total;
      }
    } catch (error) {
      this.pruneLogger.warn(`pruning the inbox failed: ${(error as Error).message}`);
      return total;
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
