import { InjectionToken, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Kafka } from 'kafkajs';
import { KafkaCheck } from './kafka.check';
import { kafkaCheckConfig, KafkaEnv } from '../kafka/kafka-settings';
import { DatabaseCheck } from './database.check';
import { HEALTH_CHECKS, HealthCheck } from './health';

/** What `GET /health` reports for a service: its database, the broker, and the given checks. */
export function healthChecksProvider(kafka: KafkaEnv, more: InjectionToken<HealthCheck>[] = []): Provider {
  return {
    provide: HEALTH_CHECKS,
    inject: [DataSource, ...more],
    useFactory: (db: DataSource, ...checks: HealthCheck[]): HealthCheck[] => [
      new DatabaseCheck(db),
      new KafkaCheck(new Kafka(kafkaCheckConfig(kafka))),
      ...checks,
    ],
  };
}
