import { Admin, Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { kafkaClientConfig, KafkaEnv } from '../kafka/kafka-settings';
import { HealthCheck, HealthCheckResult } from './health';

/**
 * The check's own client: one attempt per probe (the next probe is the retry), settled within the
 * probe's 2 s, and quiet. With the admin settings (3 retries, 3 s to connect, kafkajs logging at
 * WARN) each probe during a broker outage outlived its timeout and logged 8 ERROR lines from
 * kafkajs; now the health controller logs the one failure, at warn, with kafkajs's message.
 */
export function kafkaCheckConfig(env: KafkaEnv): KafkaConfig {
  return {
    ...kafkaClientConfig(env, 'health'),
    connectionTimeout: 1_000,
    requestTimeout: 1_500,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  };
}

/** Kafka is up when the cluster answers a metadata request. */
export class KafkaCheck implements HealthCheck {
  readonly name = 'kafka';
  private admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  async check(): Promise<HealthCheckResult> {
    this.admin ??= this.kafka.admin();
    await this.admin.connect();
    const cluster = await this.admin.describeCluster();
    return { status: 'up', brokers: cluster.brokers.length };
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}
