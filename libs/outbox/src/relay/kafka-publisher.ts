import { Logger } from '@nestjs/common';
import type { ClientKafka } from '@nestjs/microservices';
import type { Kafka, Message, Producer } from 'kafkajs';
import { TopicSpec, topicName } from '@playball/events';
import {
  ACKS_ALL,
  ensureTopics,
  kafkaAdminClient,
  KafkaEnv,
  kafkaProducerClient,
  topicReplication,
} from '@playball/platform/kafka';
import { ClaimedRow } from '../sql/claim-batch';
import { PartitionSends, partitionRecords } from './partition-records';
import { assertPublishable } from './publishable';
import { readTopicLimits, TopicLimits } from './topic-limits';

/** Where a row's record landed. */
export interface PublishedRecord {
  row: ClaimedRow;
  topic: string;
  partition: number;
  offset: string;
}

export interface OutboxPublisher {
  /**
   * Publishes the rows in order; resolves only when every record is acknowledged by all in-sync
   * replicas, with where each landed.
   */
  publish(rows: ClaimedRow[]): Promise<PublishedRecord[]>;
  close(): Promise<void>;
}

export interface KafkaPublisherOptions {
  kafka: KafkaEnv;
  topicPrefix: string;
  partitions: number;
  /** The topics this service owns; created on first use with their contract config. */
  topics: TopicSpec[];
}

/**
 * Publishes through the Nest Kafka client's kafkajs producer (kafkaProducerClient: the safe
 * producer, never emit(), see docs/kafka.md) with acks=all, a claim in one sendBatch() when every
 * partition's records fit what its topic takes in one send (sendBytesFor), else in waves: the
 * first send of every partition together, then the second of those that have one, each wave once
 * the one before was acknowledged. The relay retries a failed claim whole, so a partition never
 * sees a later record before an earlier one, at worst one again.
 *
 * Why every partition is checked in the answer: kafkajs 2.2.4 (issue #1303) can resolve a send
 * that spans partitions led by several brokers without writing some of its records when a leader
 * fails over mid-send: the brokers that already answered are remembered across retries, so a
 * partition that moved to one of them is never sent again, and no answer names it. The relay marks
 * rows published when the send resolves, so that would lose events on a cluster. A wave resolves
 * here only when kafkajs's answer names each of its partitions acknowledged; one it does not name
 * fails the claim, which the relay publishes again with a rebuilt client. In two runs of the
 * three-node cluster test (test/cluster/, a leader SIGKILLed under 50,000 events) the check caught
 * that loss once each; nothing was lost.
 *
 * Why one request, not a send() per partition (how this worked until 29 Nov): the idempotent
 * producer holds a lock per broker for each produce request (kafkajs's eosManager), so the sends of
 * several partitions led by one broker went one round trip after another. At 1,000 renames/s
 * asked a claim held about five rows on five partitions, and its publish took 3.9–6.2 ms at p50;
 * in one request the relay's stage (commit → marked) fell from 9.7–13.4 ms to 7.0–8.6 ms at p50
 * (four alternating runs each, docs/performance.md). A drain's claims of 5,000 rows were already
 * as fast either way (one send() of 6 partitions 12,100–24,100 records/s, one per partition
 * 14,300–25,900/s, the same 36 µs of CPU per record).
 *
 * The producer is idempotent with one request in flight: within one producer the broker drops a
 * retried duplicate, and a retry can never overtake an earlier request. After any failure the
 * client is rebuilt, so a producer left in a bad state by a broker restart is never reused; the
 * rebuilt one has a new producer id, so a batch the broker wrote but never acknowledged comes
 * again (at-least-once).
 *
 * Idempotence stays on: test/fault/outbox-broker-outage.fault.ts stopped the broker for 20 s
 * under ~20 commits/s, publishing as it went down (4 runs, Kafka 3.9.1, kafkajs 2.2.4): no
 * OUT_OF_ORDER_SEQUENCE_NUMBER or other stuck producer error, no loss, order kept. The only error
 * after the restart was InitProducerId answering "coordinator is loading" once, which the
 * rebuild-and-retry absorbed. kafkaClientConfig caps kafkajs's retries at 3 on purpose (the relay
 * owns the backoff, and a producer that retried forever would hang the relay while the broker is
 * down), so kafkaLogCreator drops kafkajs's "Limiting retries for the idempotent producer" warning.
 */
export class KafkaOutboxPublisher implements OutboxPublisher {
  private readonly logger = new Logger(KafkaOutboxPublisher.name);
  private client: ClientKafka | undefined;
  private topicsReady = false;
  /** Each topic's partition count and send size, read when the client is (re)built. */
  private topicLimits = new Map<string, TopicLimits>();

  constructor(private readonly options: KafkaPublisherOptions) {}

  async publish(rows: ClaimedRow[]): Promise<PublishedRecord[]> {
    // Before any connection: a refused row is a fault of the row, not of the broker or the client.
    for (const row of rows) assertPublishable(row, this.options.topics);
    try {
      const producer = await this.producer();
      await this.loadTopics(rows);
      const groups = partitionRecords(
        rows,
        this.options.topicPrefix,
        (topic) => this.limitsOf(topic).partitions,
        (topic) => this.limitsOf(topic).sendBytes,
      );
      return await sendInWaves(producer, groups);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.topicLimits = new Map();
    await client?.close().catch((error: Error) => this.logger.warn(`closing the Kafka client: ${error.message}`));
  }

  /** Creates the service's topics with their contract config if missing; once per publisher. */
  async ensureTopics(): Promise<void> {
    if (this.topicsReady) return;
    const topics = this.options.topics.map((spec) => ({ spec, partitions: this.options.partitions }));
    const differences = await ensureTopics(
      this.admin(),
      topics,
      this.options.topicPrefix,
      topicReplication(this.options.kafka),
    );
    for (const difference of differences) this.logger.warn(`${difference}; left as it is`);
    this.topicsReady = true;
  }

  private admin(): Kafka {
    return kafkaAdminClient(this.options.kafka, 'outbox-admin');
  }

  /** Reads the partitions and `max.message.bytes` of topics not seen since the client was built. */
  private async loadTopics(rows: ClaimedRow[]): Promise<void> {
    const missing = [...new Set(rows.map((r) => topicName(r.topic, this.options.topicPrefix)))].filter(
      (topic) => !this.topicLimits.has(topic),
    );
    if (missing.length === 0) return;
    const admin = this.admin().admin();
    await admin.connect();
    try {
      for (const [topic, limits] of await readTopicLimits(admin, missing, this.logger))
        this.topicLimits.set(topic, limits);
    } finally {
      await admin.disconnect();
    }
  }

  private limitsOf(topic: string): TopicLimits {
    const limits = this.topicLimits.get(topic);
    // ensureTopics made every topic of the service, and a topic's metadata always names it.
    if (!limits) throw new Error(`no partitions known for ${topic}`);
    return limits;
  }

  private async producer(): Promise<Producer> {
    await this.ensureTopics();
    if (!this.client) {
      const client = kafkaProducerClient(this.options.kafka, 'outbox');
      await client.connect();
      this.client = client;
    }
    return this.client.producer as Producer;
  }
}

/** A send resolved, yet its answer does not name one of its partitions acknowledged (kafkajs#1303). */
export class UnacknowledgedPartitionError extends Error {
  constructor(topic: string, partition: number) {
    super(
      `the send resolved without an acknowledgement for ${topic} partition ${partition}; publishing the claim again`,
    );
    this.name = 'UnacknowledgedPartitionError';
  }
}

/**
 * Sends `groups` (each partition once, as partitionRecords makes them) in waves: wave n holds the
 * n-th send of every partition that has one, in one sendBatch(), and starts once wave n − 1 was
 * acknowledged, so a partition's records land in claim order. A partition's records in a wave sit
 * at the base offset its answer gives and after it, in order. Fails at the first wave that fails or
 * whose answer leaves a partition out; later waves are never sent.
 */
export async function sendInWaves(
  producer: Pick<Producer, 'sendBatch'>,
  groups: PartitionSends[],
): Promise<PublishedRecord[]> {
  const published: PublishedRecord[] = [];
  const waves = Math.max(0, ...groups.map((group) => group.sends.length));
  for (let wave = 0; wave < waves; wave++) {
    const inWave = groups.filter((group) => wave < group.sends.length);
    const messagesByTopic = new Map<string, Message[]>();
    for (const { topic, sends } of inWave) {
      const messages = messagesByTopic.get(topic);
      if (messages) messages.push(...sends[wave].messages);
      else messagesByTopic.set(topic, [...sends[wave].messages]);
    }
    const answers = await producer.sendBatch({
      topicMessages: [...messagesByTopic].map(([topic, messages]) => ({ topic, messages })),
      acks: ACKS_ALL,
    });
    for (const { topic, partition, sends } of inWave) {
      const answer = answers.find((a) => a.topicName === topic && a.partition === partition && a.errorCode === 0);
      if (answer?.baseOffset === undefined) throw new UnacknowledgedPartitionError(topic, partition);
      const base = BigInt(answer.baseOffset);
      sends[wave].rows.forEach((row, n) => published.push({ row, topic, partition, offset: String(base + BigInt(n)) }));
    }
  }
  return published;
}
