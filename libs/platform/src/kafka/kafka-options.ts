import { readFileSync } from 'node:fs';
import type { KafkaConfig } from 'kafkajs';
import { logLevel } from 'kafkajs';
import type { KafkaSecurityEnv } from '../config/kafka-security-env';
import { kafkaLogCreator } from './kafka-logger';

export interface KafkaEnv extends Partial<KafkaSecurityEnv> {
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
    ...kafkaSecurity(env),
  };
}

/** SASL/SCRAM and TLS as the environment asks (validated at boot); nothing for the plain local broker. */
export function kafkaSecurity(env: Partial<KafkaSecurityEnv>): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  const security: Pick<KafkaConfig, 'sasl' | 'ssl'> = {};
  if (env.KAFKA_SASL_MECHANISM === 'scram-sha-512') {
    security.sasl = {
      mechanism: 'scram-sha-512',
      username: env.KAFKA_SASL_USERNAME ?? '',
      password: env.KAFKA_SASL_PASSWORD ?? '',
    };
  }
  if (env.KAFKA_SSL) {
    // Certificates are always verified; a private CA is trusted by naming it, never by turning checks off.
    security.ssl = env.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(env.KAFKA_SSL_CA_FILE, 'utf8')] } : true;
  }
  return security;
}
