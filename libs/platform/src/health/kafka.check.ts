import { Admin, Kafka } from 'kafkajs';
import { HealthCheck, HealthCheckResult } from './health';

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
