import type { KafkaOptions } from '@nestjs/microservices';
// The client's own module, not the package's index, which loads every transport: 8 MiB more in the
// outbox relay's thread, the one place this is used without the rest of Nest (docs/performance.md).
import { ClientKafka } from '@nestjs/microservices/client/client-kafka';
import {
  ACKS_ALL,
  ConsumerTimings,
  consumerConfig,
  kafkaClientConfig,
  KafkaEnv,
  safeProducerConfig,
} from './kafka-settings';

/**
 * How the services use Nest's Kafka transport (docs/kafka.md), both built from kafka-settings.ts:
 * - consuming: a ServerKafka strategy (the inbox's InboxKafkaServer extends it), so that records
 *   reach `@EventPattern` handlers through Nest, its interceptors and filters included;
 * - publishing: a ClientKafka in producer-only mode, used for its connection and its kafkajs
 *   producer, never for emit(): emit() sends one record per send(), and the relay sends a batch's
 *   records with one send() per partition (kafka-publisher.ts says why).
 */
export type KafkaServerOptions = Required<KafkaOptions>['options'];

/** ServerKafka options for a consumer group: its consumer, and the safe producer for dead letters. */
export function kafkaServerOptions(env: KafkaEnv, groupId: string, timings?: ConsumerTimings): KafkaServerOptions {
  return {
    client: kafkaClientConfig(env, groupId),
    consumer: consumerConfig(groupId, timings),
    producer: safeProducerConfig,
    send: { acks: ACKS_ALL },
    // The group id is exactly `groupId` (Nest would append `-server`): the name in dead-letter topics.
    postfixId: '',
    // A new group rebuilds its view from the start of the (compacted) topic.
    subscribe: { fromBeginning: true },
  };
}

/** A Nest Kafka client that only produces, with the safe producer; connect() it, then use its producer. */
export function kafkaProducerClient(env: KafkaEnv, clientIdSuffix: string): ClientKafka {
  return new ClientKafka({
    client: kafkaClientConfig(env, clientIdSuffix),
    producerOnlyMode: true,
    producer: safeProducerConfig,
    send: { acks: ACKS_ALL },
  });
}
