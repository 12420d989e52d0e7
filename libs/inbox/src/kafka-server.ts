import { KafkaContext, ServerKafka } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { deadLetterTopic, TopicSpec, Topics, topicName } from '@playball/events';
import {
  ConsumerTimings,
  ensureTopics,
  KafkaEnv,
  kafkaServerOptions,
  topicReplication,
} from '@playball/platform/kafka';
import { trackRunning } from '@playball/platform/observability';
import { ClosingSignal } from './closing-signal';
import { ConsumerRestarts } from './consumer-restarts';
import { reportConsumerLag } from './consumer-lag';
import { InboxConsumerStatus } from './consumer-status';
import { KafkaBatchContext } from './kafka-batch-context';

export interface InboxServerOptions {
  kafka: KafkaEnv;
  consumerGroup: string;
  topicPrefix: string;
  partitions: number;
  /** Group membership timings, to override the defaults of consumerConfig (tests shorten them). */
  consumer?: ConsumerTimings;
  /** Where the server reports whether it consumes (the app's, for /health); its own by default. */
  status?: InboxConsumerStatus;
}

/**
 * Nest's Kafka server strategy (docs/kafka.md), set up for inbox consumers with
 * kafkaServerOptions. Its job is the transport:
 * - every topic sits behind a namespace (KAFKA_TOPIC_PREFIX); handlers keep their logical
 *   `@EventPattern('auth.user.v1')`, only the subscription and incoming names are translated;
 * - each fetched batch (one partition's records) goes to the topic's handler at once, in a
 *   KafkaBatchContext, key, value and headers as the bytes kafkajs read (Nest's parser would turn a
 *   key or header starting with `{` into an object, and a dead letter would no longer be the
 *   original record); the batch's offset is committed after the handler resolved;
 * - the consumed topics and their dead-letter topics exist before the subscription.
 * Connecting in the background and restarting belong to ConsumerRestarts; telling the inbox that
 * the server closes, to ClosingSignal.
 */
export class InboxKafkaServer extends ServerKafka {
  private untrack: (() => void) | undefined;
  private readonly restarts = new ConsumerRestarts({
    start: () => this.start(() => this.logger.log(`consuming as group ${this.inbox.consumerGroup}`)),
    disconnect: () => this.disconnect(),
    failed: (error, delayMs) => {
      this.consumerStatus.stopped('cannot connect', error);
      this.logger.warn(`cannot start consuming (${error.message}); retrying in ${delayMs} ms`);
    },
  });
  private readonly closing = new ClosingSignal();
  readonly consumerStatus: InboxConsumerStatus;
  private stopLagReport: (() => Promise<void>) | undefined;

  constructor(private readonly inbox: InboxServerOptions) {
    super(kafkaServerOptions(inbox.kafka, inbox.consumerGroup, inbox.consumer));
    this.consumerStatus = inbox.status ?? new InboxConsumerStatus();
  }

  /** Reports the server started at once; ConsumerRestarts connects in the background. */
  override async listen(callback: (error?: unknown) => void): Promise<void> {
    this.untrack ??= trackRunning(`kafka consumer (${this.inbox.consumerGroup})`);
    this.closing.clear();
    try {
      this.client = await this.createClient();
    } catch (error) {
      callback(error);
      return;
    }
    callback();
    this.restarts.begin();
  }

  override async close(): Promise<void> {
    await this.restarts.stop();
    this.closing.raise();
    await this.disconnect();
    this.consumerStatus.stopped('closed');
    await this.stopLagReport?.();
    this.stopLagReport = undefined;
    this.client = null;
    this.untrack?.();
    this.untrack = undefined;
  }

  private async disconnect(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.producer = null;
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const patterns = [...this.messageHandlers.keys()].map(String);
    await this.ensureTopics(patterns);
    const topics = patterns.map((pattern) => topicName(pattern, this.inbox.topicPrefix));
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    this.stopLagReport ??= reportConsumerLag(this.client!, this.inbox.consumerGroup, () => topics);
    // A join (run() emits it before fetching) means it consumes; after a retriable crash kafkajs
    // restarts the consumer, which joins again.
    consumer.on(consumer.events.GROUP_JOIN, () => this.consumerStatus.consuming());
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.warn(`consumer crashed: ${payload.error.message}`);
      this.consumerStatus.stopped('crashed', payload.error);
      if (!payload.restart) this.restarts.afterCrash();
    });
    await consumer.run({
      // A worker per partition: all the batches of a fetch reach the inbox at once, which applies
      // them in one transaction (InboxConsumer.applyShared). With fewer workers than batches, the
      // fetch's last batches waited for the first ones' commits.
      partitionsConsumedConcurrently: this.inbox.partitions,
      // An offset is resolved only once the batch's effect committed, below.
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /**
   * Runs the topic's `@EventPattern` handler (through Nest, so its interceptors and filters apply)
   * with the whole batch, then resolves and commits the batch's offset. A handler that throws
   * leaves the batch uncommitted: kafkajs fetches it again.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const pattern = batch.topic.slice(this.inbox.topicPrefix.length);
    const context = new KafkaBatchContext([payload, this.consumer!, this.producer!, this.closing]);
    // Nest types the context as a KafkaContext; it hands it to the handler's @Ctx() untouched.
    await this.handleEvent(pattern, { pattern, data: batch.messages }, context as unknown as KafkaContext);
    payload.resolveOffset(batch.lastOffset());
    await payload.commitOffsetsIfNecessary();
  }

  private async ensureTopics(patterns: string[]): Promise<void> {
    const known = new Map<string, TopicSpec>(Object.values(Topics).map((t) => [t.name, t]));
    const specs = patterns.flatMap((pattern) => {
      const spec = known.get(pattern) ?? { name: pattern, key: 'unknown', config: {} };
      return [spec, deadLetterTopic(pattern, this.inbox.consumerGroup)];
    });
    const topics = specs.map((spec) => ({ spec, partitions: this.inbox.partitions }));
    const differences = await ensureTopics(
      this.client!,
      topics,
      this.inbox.topicPrefix,
      topicReplication(this.inbox.kafka),
    );
    for (const difference of differences) this.logger.warn(`${difference}; left as it is`);
  }
}
