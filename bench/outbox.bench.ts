/**
 * `npm run bench`: throughput and memory of the outbox, each beside a raw baseline measured in the
 * same run on the same broker and database, so the numbers say what the mechanism costs.
 *
 *   capture  one event per transaction through addToOutbox (validate, insert, NOTIFY)
 *            vs. the same row inserted with plain SQL in its own transaction
 *   relay    the relay draining the outbox to Kafka (claim, publish acks=all, mark)
 *            vs. a bare kafkajs producer sending the same records in the same batch size
 *
 * Needs the infrastructure up (`npm run infra:up`). Sizes: BENCH_CAPTURE (default 2,000 events),
 * BENCH_RELAY (default 20,000 events).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { createEvent, Topics, topicName, toKafkaHeaders } from '@playball/events';
import {
  addToOutbox,
  defaultRelayOptions,
  event,
  KafkaOutboxPublisher,
  outboxMigrations,
  OutboxRelay,
} from '@playball/outbox';

const captureCount = Number(process.env.BENCH_CAPTURE ?? 2_000);
const relayCount = Number(process.env.BENCH_RELAY ?? 20_000);
const batchSize = defaultRelayOptions.batchSize;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const server = (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(/\/[^/]*$/, '');
const kafkaEnv = { KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'bench' };

interface Row {
  measure: string;
  subject: string;
  events: number;
  seconds: number;
  rssMiB: number;
}
const rows: Row[] = [];

async function measure(name: string, subject: string, events: number, work: () => Promise<void>): Promise<void> {
  global.gc?.();
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rows.push({ measure: name, subject, events, seconds, rssMiB: process.memoryUsage().rss / 2 ** 20 });
}

function userData(i: number) {
  return { userId: uuidv7(), displayName: `Player ${i}`, version: 1 };
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${server}/postgres` });
  await client.connect();
  await client.query(sql);
  await client.end();
}

async function main(): Promise<void> {
  const database = `playball_bench_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}.`;
  await admin(`create database ${database}`);
  const db = await new DataSource({
    type: 'postgres',
    url: `${server}/${database}`,
    migrations: outboxMigrations,
    extra: { max: 4 },
  }).initialize();
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  try {
    await db.runMigrations();
    await db.query(`create table raw_outbox (like outbox including all)`);

    await measure('capture', 'raw insert, one per transaction', captureCount, async () => {
      for (let i = 0; i < captureCount; i++) {
        const data = userData(i);
        await db.transaction((m) =>
          m.query(`insert into raw_outbox (event_id, topic, key, type, headers, payload) values ($1,$2,$3,$4,$5,$6)`, [
            uuidv7(),
            Topics.user.name,
            data.userId,
            'playball.user.registered.v1',
            '{}',
            JSON.stringify(data),
          ]),
        );
      }
    });
    await measure('capture', 'addToOutbox, one per transaction', captureCount, async () => {
      for (let i = 0; i < captureCount; i++) {
        await db.transaction((m) => addToOutbox(m, [event('playball.user.registered.v1', userData(i))]));
      }
    });

    // Fill the outbox in bulk (not measured) for the relay run.
    for (let done = 0; done < relayCount; done += 1_000) {
      const entries = Array.from({ length: Math.min(1_000, relayCount - done) }, (_, i) =>
        event('playball.user.registered.v1', userData(done + i)),
      );
      await db.transaction((m) => addToOutbox(m, entries));
    }
    const total = captureCount + relayCount;

    const publisher = new KafkaOutboxPublisher({
      kafka: kafkaEnv,
      topicPrefix: prefix,
      partitions: 6,
      topics: [Topics.user],
    });
    await publisher.ensureTopics();
    const raw = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await raw.connect();
    await measure('relay', 'bare kafkajs producer, same records and batches', total, async () => {
      for (let done = 0; done < total; done += batchSize) {
        const messages = Array.from({ length: Math.min(batchSize, total - done) }, (_, i) => {
          const e = createEvent('playball.user.registered.v1', userData(done + i));
          return { key: e.subject, value: JSON.stringify(e.data), headers: toKafkaHeaders(e) };
        });
        await raw.send({ topic: topicName(Topics.user.name, prefix), acks: -1, messages });
      }
    });
    await raw.disconnect();

    const relay = new OutboxRelay(db, publisher, {
      ...defaultRelayOptions,
      service: 'bench',
      databaseUrl: `${server}/${database}`,
      pollIntervalMs: 50,
    });
    await measure('relay', 'OutboxRelay: claim, publish, mark', total, async () => {
      relay.start();
      for (;;) {
        const [{ n }] = (await db.query(`select count(*)::int as n from outbox where published_at is null`)) as {
          n: number;
        }[];
        if (n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    await relay.stop();
    await publisher.close();
  } finally {
    await db.destroy();
    await admin(`drop database if exists ${database} with (force)`);
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: [topicName(Topics.user.name, prefix)] }).catch(() => undefined);
    await kafkaAdmin.disconnect();
  }

  console.log(`\noutbox benchmark, node ${process.version}, ${new Date().toISOString()}\n`);
  console.log('| measure | subject | events | seconds | events/s | RSS after (MiB) |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const rate = Math.round(r.events / r.seconds);
    console.log(
      `| ${r.measure} | ${r.subject} | ${r.events} | ${r.seconds.toFixed(2)} | ${rate} | ${r.rssMiB.toFixed(0)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
