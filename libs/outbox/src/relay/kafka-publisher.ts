import { Logger } from '@nestjs/common';
import type { ClientKafka } from '@nestjs/microservices';
import type { Kafka, Producer } from 'kafkajs';
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
 * The most producers a publisher opens: a claim at 1,000 commits/s holds about five records, so
 * more producers than that rarely have a send to make, and each is a client of its own (an
 * InitProducerId at start, a connection to each broker it sends to). A topic of more partitions
 * shares them (`partition % MAX_PRODUCERS`), and so does each topic's partition of one number when a
 * service owns several topics (each app owns one today).
 */
export const MAX_PRODUCERS = 8;

/**
 * Publishes through Nest Kafka clients' kafkajs producers (kafkaProducerClient: the safe
 * producer, never emit(), see docs/kafka.md), with one send() per topic partition (all partitions
 * at once; a partition whose records outgrow what its topic takes in one send, sendBytesFor, gets
 * several, one after another) and acks=all; the relay retries a failed batch whole, so a partition
 * never sees a later record before an earlier one, at worst one again.
 *
 * Why one send() per partition: kafkajs 2.2.4 (issue #1303) can resolve a send() that spans
 * partitions led by several brokers without writing some of its records, or write some twice, when
 * a leader fails over mid-send: the brokers that already answered are remembered across retries,
 * so a partition that moved to one of them is never re-sent. The relay marks rows published when
 * send() resolves, so that would lose events on a cluster. A send() of ONE partition has one leader
 * per attempt: it resolves only once that partition's current leader acknowledged it. Sends to
 * different partitions run concurrently: each has its own record of who answered, and a partition
 * is in one send at a time. (One send() per leader broker is not enough: a send's partitions that
 * fail over to two new leaders are exposed again.) Measured on one broker, 30,000 pre-built
 * records, idempotent, acks=all, machine under load: one send() per 5,000-record batch spanning 6
 * partitions 12,100–24,100/s and 36 µs of CPU per record; one send() per partition, concurrent,
 * 14,300–25,900/s and 36 µs: the same cost, within the noise.
 *
 * Each partition goes through one producer of a small pool, always the same (`partition %
 * producers`): kafkajs's idempotent producer holds a lock per broker for each produce request, so
 * with one producer a claim's sends to one broker went one round trip after another (five for a
 * five-partition claim, 3.9–6.2 ms at p50 at 1,000 commits/s). Each producer of the pool has its
 * own lock and connections, so the partitions of a claim are in flight at once. On 29 Nov (a slow
 * hour, two alternating pairs, BENCH_STAGES) the relay's stage p50 went from 16.7–22.0 to
 * 14.4–15.9 ms at 1,000/s asked, and from 19.6–19.9 to 12.8–13.9 ms at 5,000/s; draining 100,000
 * rows gave 9,130–9,742/s against 9,641–10,639/s, perhaps a few per cent lower (a drain is bound by
 * the thread's CPU, not by round trips), and auth's peak RSS grew 1–3 MiB. The pool has one
 * producer per partition the topics are created with, at most MAX_PRODUCERS.
 *
 * One request per claim (kafkajs's sendBatch), taken as published only when kafkajs's answer names
 * every partition (which catches #1303), took about 4 ms off the relay's p50 too, and was
 * withdrawn: an attempt spanning two brokers rejects at its first failed request while the other
 * is still in flight, the retry re-sends that partition to its new leader under the sequence the
 * old request took, and when the old request fails kafkajs winds the sequence back below the new
 * leader's; the call resolves fully acknowledged, and the partition's next batch of the same size
 * is dropped by the broker as a duplicate yet acknowledged. A send of one partition has one
 * request per attempt and cannot race so (docs/performance.md, "The end-to-end lag, stage by
 * stage").
 *
 * Each producer is idempotent with one request in flight: within one producer the broker drops a
 * retried duplicate, and a retry (kafkajs's, inside one send) can never overtake an earlier
 * request. Order across sends does not rest on the pool: a partition's sends go one after another,
 * each acknowledged before the next starts, whichever producer makes them. After any failure every
 * client is rebuilt, so a producer left in a bad state by a broker restart is never reused; the
 * rebuilt ones have new producer ids, so a batch the broker wrote but never acknowledged comes
 * again (at-least-once).
 *
 * Idempotence stays on: test/fault/outbox-broker-outage.fault.ts stopped the broker for 20 s
 * under ~20 commits/s, publishing as it went down (4 runs, Kafka 3.9.1, kafkajs 2.2.4): no
 * OUT_OF_ORDER_SEQUENCE_NUMBER or other stuck producer error, no loss, order kept. The only error
 * after the restart was InitProducerId answering "coordinator is loading" once, which the
 * rebuild-and-retry absorbed. Once more with the pool (29 Nov): passed, several of the pool's
 * InitProducerIds answered "coordinator is loading" and kafkajs's own retries absorbed them.
 * kafkaClientConfig caps kafkajs's retries at 3 on purpose (the relay owns the backoff, and a
 * producer that retried forever would hang the relay while the broker is down), so
 * kafkaLogCreator drops kafkajs's "Limiting retries for the idempotent producer" warning.
 */
export class KafkaOutboxPublisher implements OutboxPublisher {
  private readonly logger = new Logger(KafkaOutboxPublisher.name);
  /** The pool's clients, each with its producer; partition p is always sent through `p % length`. */
  private clients: ClientKafka[] = [];
  private topicsReady = false;
  /** Each topic's partition count and send size, read when the clients are (re)built. */
  private topicLimits = new Map<string, TopicLimits>();

  constructor(private readonly options: KafkaPublisherOptions) {}

  async publish(rows: ClaimedRow[]): Promise<PublishedRecord[]> {
    // Before any connection: a refused row is a fault of the row, not of the broker or the client.
    for (const row of rows) assertPublishable(row, this.options.topics);
    try {
      const producers = await this.producers();
      await this.loadTopics(rows);
      const groups = partitionRecords(
        rows,
        this.options.topicPrefix,
        (topic) => this.limitsOf(topic).partitions,
        (topic) => this.limitsOf(topic).sendBytes,
      );
      return await sendEach(producers, groups);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const clients = this.clients;
    this.clients = [];
    this.topicLimits = new Map();
    await this.closeAll(clients);
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

  private async closeAll(clients: ClientKafka[]): Promise<void> {
    await Promise.all(
      clients.map((client) =>
        client.close().catch((error: Error) => this.logger.warn(`closing a Kafka client: ${error.message}`)),
      ),
    );
  }

  private limitsOf(topic: string): TopicLimits {
    const limits = this.topicLimits.get(topic);
    // ensureTopics made every topic of the service, and a topic's metadata always names it.
    if (!limits) throw new Error(`no partitions known for ${topic}`);
    return limits;
  }

  private async producers(): Promise<Producer[]> {
    await this.ensureTopics();
    if (this.clients.length === 0) {
      const count = Math.min(this.options.partitions, MAX_PRODUCERS);
      const clients = Array.from({ length: count }, () => kafkaProducerClient(this.options.kafka, 'outbox'));
      const connected = await Promise.allSettled(clients.map((client) => client.connect()));
      const failed = connected.find((c) => c.status === 'rejected');
      // All or none: a pool with a producer missing would have partitions with nothing to send them.
      if (failed) {
        await this.closeAll(clients);
        throw (failed as PromiseRejectedResult).reason;
      }
      this.clients = clients;
    }
    return this.clients.map((client) => client.producer as Producer);
  }
}

/** A partition's send not made because another partition's failed. */
class StoppedBehindFailure extends Error {}

/**
 * The sends of different partitions at once, those of one partition one after another (each waits
 * for the one before it to be acknowledged, so a partition's records land in claim order) and
 * through one producer of the pool, `partition % producers.length`; each partition comes once in
 * `groups`, as partitionRecords makes them. Once a send fails, no partition starts another: the
 * relay retries the whole claim, so what the others would still send now would only be sent again.
 * Waits for the sends in flight to settle before failing, so a rebuild never closes a client under
 * one. A send() is one partition's records, so they sit at the base offset the broker answered and
 * after it, in order.
 */
export async function sendEach(
  producers: Pick<Producer, 'send'>[],
  groups: PartitionSends[],
): Promise<PublishedRecord[]> {
  let failed = false;
  const results = await Promise.allSettled(
    groups.map(async ({ topic, partition, sends }) => {
      const producer = producers[partition % producers.length];
      const published: PublishedRecord[] = [];
      for (const { messages, rows } of sends) {
        if (failed) throw new StoppedBehindFailure();
        try {
          const [metadata] = await producer.send({ topic, messages, acks: ACKS_ALL });
          const base = metadata?.baseOffset;
          rows.forEach((row, n) =>
            published.push({
              row,
              topic,
              partition,
              offset: base === undefined ? '' : String(BigInt(base) + BigInt(n)),
            }),
          );
        } catch (error) {
          failed = true;
          throw error;
        }
      }
      return published;
    }),
  );
  // A send that failed says why (the first in the groups' order); the partitions that stopped behind it only followed.
  const failure = results.find((r) => r.status === 'rejected' && !(r.reason instanceof StoppedBehindFailure));
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return results.flatMap((r) => (r as PromiseFulfilledResult<PublishedRecord[]>).value);
}
