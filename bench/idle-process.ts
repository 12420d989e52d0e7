/**
 * The idle measure's baseline: a bare process holding what an idle service holds open, with none of
 * the framework. A kafkajs producer and a consumer in a group of its own (the services' settings:
 * a fetch long-polling 500 ms, a heartbeat a second), and a pg connection LISTENing for the outbox's
 * notifications and asking for unpublished rows once a second, as the relay's poll does. kafkajs
 * runs patched here too, as in the apps (kafka-settings.ts). Started as its own process by
 * idle.bench.ts (DATABASE_URL, KAFKA_BROKERS, TOPIC); says so when connected, then idles until killed.
 */
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { consumerConfig, safeProducerConfig } from '@playball/platform/kafka/kafka-settings';

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: 'bench-idle',
    brokers: process.env.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer(safeProducerConfig);
  const consumer = kafka.consumer(consumerConfig(`bench-idle-${process.pid}`));
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: process.env.TOPIC!, fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({ eachMessage: async () => undefined });
  await joined;

  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  await db.query('listen outbox');
  const poll = setInterval(() => {
    db.query('select id from outbox where published_at is null order by id limit 5000').catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }, 1_000);

  process.on('SIGTERM', () => {
    clearInterval(poll);
    void Promise.allSettled([consumer.disconnect(), producer.disconnect(), db.end()]).then(() => process.exit(0));
  });
  process.send!('ready');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
