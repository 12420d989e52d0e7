import { kafkaBrokers } from '../../../support/infrastructure';
import { RunningApp } from '../../../support/apps';

/** The environment an operator gives ops beside a deployed app: the app's own variables. */
export function opsEnv(app: RunningApp, prefix: string, consumerGroup?: string): Record<string, string> {
  return {
    DATABASE_URL: app.database.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    ...(consumerGroup ? { KAFKA_CONSUMER_GROUP: consumerGroup } : {}),
  };
}
