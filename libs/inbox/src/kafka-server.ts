import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import type { Consumer } from 'kafkajs';
import { deadLetterTopicName, TopicSpec, Topics, topicName } from '@playball/events';
import { ensureTopics, kafkaClientConfig, KafkaEnv, trackRunning } from '@playball/platform';

export interface InboxServerOptions {
  kafka: KafkaEnv;
  consumerGroup: string;
  topicPrefix: string;
  partitions: number;
}

const deadLetterSpec = (name: string): TopicSpec => ({
  name,
  key: 'as the original record',
  // Dead letters wait for a person: 30 days to look, fix and replay.
  config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * 24 * 60 * 60 * 1000) },
});

/**
 * The Nest Kafka transport, set up for inbox consumers:
 * - every topic sits behind a namespace (KAFKA_TOPIC_PREFIX); handlers keep their logical
 *   `@EventPattern('auth.user.v1')`, only the subscription and incoming names are translated;
 * - the group id is exactly `consumerGroup` (no `-server` suffix), the name in dead-letter topics;
 * - values stay bytes, so a dead letter carries the original value unchanged;
 * - the consumed topics and their dead-letter topics exist before the subscription.
 */
export class InboxKafkaServer extends ServerKafka {
  private untrack: (() => void) | undefined;

  constructor(private readonly inbox: InboxServerOptions) {
    super({
      client: kafkaClientConfig(inbox.kafka, inbox.consumerGroup),
      consumer: {
        groupId: inbox.consumerGroup,
        // 10 s lets a rebalance finish quickly after an instance dies; heartbeats every second.
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: 500,
        allowAutoTopicCreation: false,
      },
      postfixId: '',
      parser: { keepBinary: true },
      // A new group rebuilds its view from the start of the (compacted) topic.
      subscribe: { fromBeginning: true },
      deserializer: {
        deserialize: (value: unknown, context?: { channel: string }) => ({
          pattern: context?.channel.slice(inbox.topicPrefix.length),
          data: value,
        }),
      },
    } satisfies Required<KafkaOptions>['options']);
  }

  override async listen(callback: (error?: unknown) => void): Promise<void> {
    this.untrack ??= trackRunning(`kafka consumer (${this.inbox.consumerGroup})`);
    await super.listen(callback);
  }

  override async close(): Promise<void> {
    await super.close();
    this.untrack?.();
    this.untrack = undefined;
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const patterns = [...this.messageHandlers.keys()].map(String);
    await this.ensureTopics(patterns);
    const topics = patterns.map((pattern) => topicName(pattern, this.inbox.topicPrefix));
    if (topics.length > 0) await consumer.subscribe({ ...(this.options.subscribe ?? {}), topics });
    await consumer.run({ ...(this.options.run ?? {}), eachMessage: this.getMessageHandler() });
  }

  private async ensureTopics(patterns: string[]): Promise<void> {
    const known = new Map<string, TopicSpec>(Object.values(Topics).map((t) => [t.name, t]));
    const specs = patterns.flatMap((pattern) => {
      const spec = known.get(pattern) ?? { name: pattern, key: 'unknown', config: {} };
      const dlq = deadLetterTopicName(topicName(pattern, this.inbox.topicPrefix), this.inbox.consumerGroup);
      return [spec, deadLetterSpec(dlq.slice(this.inbox.topicPrefix.length))];
    });
    const admin = this.client!.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, specs.map((spec) => ({ spec, partitions: this.inbox.partitions })), this.inbox.topicPrefix);
    } finally {
      await admin.disconnect();
    }
  }
}
