import type { KafkaConfig } from 'kafkajs';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-logger';

export interface KafkaEnv {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID: string;
  /** Replication of the topics a service creates; see topicReplication for the defaults. */
  KAFKA_REPLICATION_FACTOR?: number;
  KAFKA_MIN_INSYNC_REPLICAS?: number;
}

/**
 * kafkajs client settings shared by producers and consumers. Retries are short on purpose: the
 * relay and the inbox own their backoff, and a call that hangs for kafkajs's default ~30 s of
 * retries would hide a dead broker from the health check.
 */
export function kafkaClientConfig(env: KafkaEnv, clientIdSuffix: string): KafkaConfig {
  return {
    clientId: `${env.KAFKA_CLIENT_ID}-${clientIdSuffix}`,
    brokers: env.KAFKA_BROKERS,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(`kafkajs ${clientIdSuffix}`),
  };
}
