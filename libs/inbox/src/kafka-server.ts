import { KafkaContext, KafkaOptions, ServerKafka } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';
import type { Consumer, ConsumerConfig, EachBatchPayload } from 'kafkajs';
import { deadLetterTopic, TopicSpec, Topics, topicName } from '@playball/events';
import { Backoff, ensureTopics, kafkaClientConfig, KafkaEnv, topicReplication, trackRunning } from '@playball/platform';
import { markClosing } from './closing-consumers';
import { reportConsumerLag } from './consumer-lag';
import { InboxConsumerStatus } from './consumer-status';
import { KafkaBatchContext } from './kafka-batch-context';

export interface InboxServerOptions {
  kafka: KafkaEnv;
  consumerGroup: string;
  topicPrefix: string;
  partitions: number;
  /** Group membership timings, to override the defaults below (tests shorten them). */
  consumer?: Pick<ConsumerConfig, 'sessionTimeout' | 'heartbeatInterval' | 'rebalanceTimeout'>;
  /** Where the server reports whether it consumes (the app's, for /health); its own by default. */
  status?: InboxConsumerStatus;
}

// Partitions whose batches are applied at the same time, each in its own transaction on its own
// pooled connection (3 of DATABASE_POOL_SIZE's 10, the rest left to HTTP). A fetch brings a batch
// for each partition with records; applied one after the other, the last waits for every
// earlier one's commit (3.4 ms per one-event transaction measured here, 2.3 ms of it the WAL
// flush), which live traffic would feel as latency. On a backlog it makes no difference: 1 to 6 drained 100,000 events at the same
// rate within the noise of this shared 2-core machine (5,000-11,700/s), the work being CPU-bound.
const partitionsConsumedConcurrently = 3;

/**
 * The Nest Kafka transport, set up for inbox consumers:
 * - every topic sits behind a namespace (KAFKA_TOPIC_PREFIX); handlers keep their logical
 *   `@EventPattern('auth.user.v1')`, only the subscription and incoming names are translated;
 * - the group id is exactly `consumerGroup` (no `-server` suffix), the name in dead-letter topics;
 * - each fetched batch (one partition's records) goes to the topic's handler at once, in a
 *   KafkaBatchContext, key, value and headers as the bytes kafkajs read (Nest's parser would turn a
 *   key or header starting with `{` into an object, and a dead letter would no longer be the
 *   original record); the batch's offset is committed after the handler resolved;
 * - the producer (dead letters) is idempotent with acks from all in-sync replicas;
 * - the consumed topics and their dead-letter topics exist before the subscription;
 * - the app starts while the broker is unreachable: the consumer connects in the background;
 * - closing tells the inbox first, so that a message in a retry loop cannot hold the shutdown.
 */
export class InboxKafkaServer extends ServerKafka {
  private untrack: (() => void) | undefined;
  private starting: Promise<void> | undefined;
  private closed = false;
  private wakeUp: (() => void) | undefined;
  // Between restarts after crashes kafkajs gave up on: 1 s, doubling up to 30 s, so a crash that
  // repeats at once does not spin.
  private readonly crashBackoff = new Backoff(1_000, 30_000);
  readonly consumerStatus: InboxConsumerStatus;
  private stopLagReport: (() => Promise<void>) | undefined;

  constructor(private readonly inbox: InboxServerOptions) {
    super({
      client: kafkaClientConfig(inbox.kafka, inbox.consumerGroup),
      consumer: {
        groupId: inbox.consumerGroup,
        // The partitions of a member that died without leaving (SIGKILL, or a broker restart that
        // forgets member ids) wait this long: measured 10.2-10.8 s at 10 s, 6.4-6.8 s at 6 s, the
        // broker's least (group.min.session.timeout.ms). Heartbeats every second, 6 chances.
        sessionTimeout: 6_000,
        heartbeatInterval: 1_000,
        // How long a rebalance waits for members to rejoin, so also the longest a join can block
        // (kafkajs's default is 60 s). A member in a retry loop rejoins at its next heartbeat (500 ms);
        // 30 s covers a handler stuck until the 30 s statement timeout.
        rebalanceTimeout: 30_000,
        maxWaitTimeInMs: 500,
        allowAutoTopicCreation: false,
        ...inbox.consumer,
      },
      producer: {
        // Chosen explicitly (it is kafkajs's default since 2.0, murmur2 like the Java client), which
        // also silences kafkajs's warning about the default having changed.
        createPartitioner: Partitioners.DefaultPartitioner,
        // A retried request must neither duplicate nor reorder dead letters.
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      },
      send: { acks: -1 },
      postfixId: '',
      // A new group rebuilds its view from the start of the (compacted) topic.
      subscribe: { fromBeginning: true },
    } satisfies Required<KafkaOptions>['options']);
    this.consumerStatus = inbox.status ?? new InboxConsumerStatus();
  }

  /**
   * Reports the server started at once and connects in the background, retrying with backoff. A
   * broker that is down at boot would otherwise fail the whole app, HTTP API included, and an
   * orchestrator would restart it in a loop; this way the API serves what it can, /health reports
   * the broker down, and consumption begins when the broker answers.
   */
  override async listen(callback: (error?: unknown) => void): Promise<void> {
    this.untrack ??= trackRunning(`kafka consumer (${this.inbox.consumerGroup})`);
    this.closed = false;
    try {
      this.client = await this.createClient();
    } catch (error) {
      callback(error);
      return;
    }
    callback();
    this.starting = this.startWhenReachable();
  }

  private async startWhenReachable(firstDelayMs = 0): Promise<void> {
    // 10 s at most between attempts: consumption resumes within about that of the broker's return.
    const backoff = new Backoff(500, 10_000);
    if (firstDelayMs > 0) await this.sleep(firstDelayMs);
    while (!this.closed) {
      try {
        await this.start(() => this.logger.log(`consuming as group ${this.inbox.consumerGroup}`));
        return;
      } catch (error) {
        await this.disconnect();
        if (this.closed) return;
        const delayMs = Math.round(backoff.next());
        this.consumerStatus.stopped(`cannot connect: ${(error as Error).message}`);
        this.logger.warn(`cannot start consuming (${(error as Error).message}); retrying in ${delayMs} ms`);
        await this.sleep(delayMs);
      }
    }
  }

  /** Waits `ms`, or less if the server closes meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * kafkajs restarts a consumer after a retriable crash, but after any other (an authorization
   * error, say) it leaves it disconnected for good, and the instance would serve HTTP without ever
   * consuming again. Start over as at boot instead.
   */
  private restartAfterCrash(): void {
    if (this.closed) return;
    const previous = this.starting;
    this.starting = (async () => {
      await previous;
      await this.disconnect();
      await this.startWhenReachable(this.crashBackoff.next());
    })();
  }

  override async close(): Promise<void> {
    this.closed = true;
    this.wakeUp?.();
    // An attempt in progress (a connect ends within kafkajs's retries, about 15 s with ours; a join
    // within rebalanceTimeout) is given 5 s, then disconnected under it, so that shutdown stays
    // within a usual 30 s grace period. The attempt then fails and sees `closed`.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.starting, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
    if (this.consumer) markClosing(this.consumer);
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
      this.consumerStatus.stopped(`crashed: ${payload.error.message}`);
      if (!payload.restart) this.restartAfterCrash();
    });
    await consumer.run({
      partitionsConsumedConcurrently,
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
    const context = new KafkaBatchContext([payload, this.consumer!, this.producer!]);
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
