import { Logger } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { Kafka, Message, Partitioners, Producer, TopicMessages } from 'kafkajs';
import { TopicSpec, topicName } from '@playball/events';
import { ensureTopics, kafkaClientConfig, KafkaEnv, topicReplication } from '@playball/platform';
import { ClaimedRow } from '../sql/claim-batch';

export interface OutboxPublisher {
  /** Publishes the rows in order; resolves only when every record is acknowledged by all in-sync replicas. */
  publish(rows: ClaimedRow[]): Promise<void>;
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
 * Publishes through the Nest Kafka client's kafkajs producer. A batch goes in one produce request
 * per broker (all its partitions) with acks=all; the relay retries a failed batch whole, so a
 * partition never sees a later record before an earlier one, at worst one again.
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

  constructor(private readonly options: KafkaPublisherOptions) {}

  async publish(rows: ClaimedRow[]): Promise<void> {
    try {
      const producer = await this.producer();
      await producer.sendBatch({ topicMessages: this.group(rows), acks: -1 });
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch((error: Error) => this.logger.warn(`closing the Kafka client: ${error.message}`));
  }

  /** Creates the service's topics with their contract config if missing; once per publisher. */
  async ensureTopics(): Promise<void> {
    if (this.topicsReady) return;
    const topics = this.options.topics.map((spec) => ({ spec, partitions: this.options.partitions }));
    const differences = await ensureTopics(
      new Kafka(kafkaClientConfig(this.options.kafka, 'outbox-admin')),
      topics,
      this.options.topicPrefix,
      topicReplication(this.options.kafka),
    );
    for (const difference of differences) this.logger.warn(`${difference}; left as it is`);
    this.topicsReady = true;
  }

  private async producer(): Promise<Producer> {
    await this.ensureTopics();
    if (!this.client) {
      const client = new ClientKafka({
        client: kafkaClientConfig(this.options.kafka, 'outbox'),
        producerOnlyMode: true,
        producer: {
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          // murmur2 like the Java clients: a key lands on the same partition whoever produces it.
          createPartitioner: Partitioners.DefaultPartitioner,
        },
      });
      await client.connect();
      this.client = client;
    }
    return this.client.producer as Producer;
  }

  private group(rows: ClaimedRow[]): TopicMessages[] {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const topic = topicName(row.topic, this.options.topicPrefix);
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: row.key,
        value: row.payload === null ? null : JSON.stringify(row.payload),
        headers: row.headers,
      });
      byTopic.set(topic, messages);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }
}
