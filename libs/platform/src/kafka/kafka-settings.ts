import { readFileSync } from 'node:fs';
import type { ConsumerConfig, KafkaConfig, ProducerConfig } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { KafkaSecurityEnv } from '../config/kafka-security-env';
import { quietIdleRequestQueues } from './idle-request-queues';
import { kafkaLogCreator } from './kafka-logger';

// Every kafkajs client of the services takes its settings from here, so kafkajs is patched here,
// before any of them connects. The patch holds for the whole process: the bench's bare clients,
// its baselines, run patched as well.
quietIdleRequestQueues();

export interface KafkaEnv extends Partial<KafkaSecurityEnv> {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID: string;
  /** Replication of the topics a service creates; see topicReplication for the defaults. */
  KAFKA_REPLICATION_FACTOR?: number;
  KAFKA_MIN_INSYNC_REPLICAS?: number;
}

// The Kafka settings of every client in the repository, defined once (docs/kafka.md): the client
// (brokers, timeouts, security), the producer, the consumer, and the admin client.

/**
 * kafkajs client settings shared by producers, consumers and admin clients. Retries are short on purpose: the
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

/**
 * The producer of every record we write (the relay's events, the inbox's dead letters): a retried
 * request must neither duplicate nor reorder records, so the producer is idempotent with one
 * request in flight (within one producer the broker drops a retried duplicate, and a retry can
 * never overtake an earlier request). Every send() also waits for ACKS_ALL.
 */
export const safeProducerConfig = {
  // Chosen explicitly (it is kafkajs's default since 2.0, murmur2 like the Java client), which
  // also silences kafkajs's warning about the default having changed.
  createPartitioner: Partitioners.DefaultPartitioner,
  idempotent: true,
  maxInFlightRequests: 1,
  // Topics are created with their contract config (ensureTopics), never by a send's side effect.
  allowAutoTopicCreation: false,
} satisfies ProducerConfig;

/** A send() resolves only once every in-sync replica has the records. */
export const ACKS_ALL = -1;

/** Group membership timings a caller may override (tests shorten them). */
export type ConsumerTimings = Pick<ConsumerConfig, 'sessionTimeout' | 'heartbeatInterval' | 'rebalanceTimeout'>;

/**
 * The consumer of a consumer group (the inbox's). Without partitionAssigners (kafkajs's default):
 * Nest types them with its own copy of the kafkajs types, which TypeScript finds incompatible.
 */
export function consumerConfig(
  groupId: string,
  timings: ConsumerTimings = {},
): Omit<ConsumerConfig, 'partitionAssigners'> {
  return {
    groupId,
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
    ...timings,
  };
}

/**
 * The health check's client: one attempt per probe (the next probe is the retry), each step bounded
 * at 1–1.5 s so that a probe usually settles inside the controller's 2 s, and quiet. With the client
 * settings (3 retries, 3 s to connect, kafkajs logging at WARN) each probe during a broker outage
 * outlived its timeout and logged 8 ERROR lines from kafkajs; now the health controller logs the
 * one failure, at warn, with kafkajs's message.
 */
export function kafkaCheckConfig(env: KafkaEnv): KafkaConfig {
  return {
    ...kafkaClientConfig(env, 'health'),
    connectionTimeout: 1_000,
    authenticationTimeout: 1_000,
    requestTimeout: 1_500,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  };
}

/**
 * A kafkajs client for admin work only (creating topics, reading metadata): producers and consumers
 * come from Nest's Kafka transport (nest-transport.ts), the health check's from kafkaCheckConfig.
 */
export function kafkaAdminClient(env: KafkaEnv, clientIdSuffix: string): Kafka {
  return new Kafka(kafkaClientConfig(env, clientIdSuffix));
}
