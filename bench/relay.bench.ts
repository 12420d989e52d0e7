import { DataSource } from 'typeorm';
import { Message, Partitioners, Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { Topics, topicName } from '@playball/events';
import {
  addToOutbox,
  defaultRelayOptions,
  event,
  KafkaOutboxPublisher,
  outboxMigrations,
  OutboxRelay,
} from '@playball/outbox';
import { BenchRow } from './bench-row';
import { brokers, createDatabase, deleteTopics, kafka, sleep, uniqueSuffix } from './support/infra';
import { timed } from './support/timing';

/** Records per send() of the baseline; 5,000 was the fastest of 500–10,000 here. */
const BASELINE_BATCH = 5_000;

async function fillOutbox(db: DataSource, count: number): Promise<void> {
  for (let done = 0; done < count; done += 1_000) {
    const entries = Array.from({ length: Math.min(1_000, count - done) }, (_, i) =>
      event('playball.user.registered.v1', { userId: uuidv7(), displayName: `Player ${done + i}`, version: 1 }),
    );
    await db.transaction((m) => addToOutbox(m, entries));
  }
}

/** The records the relay will send, built as the publisher builds them, before any clock starts. */
async function prebuiltRecords(db: DataSource): Promise<Message[]> {
  const rows = (await db.query(`select key, headers, payload from outbox order by id`)) as {
    key: string;
    headers: Record<string, string>;
    payload: unknown;
  }[];
  return rows.map((r) => ({ key: r.key, value: JSON.stringify(r.payload), headers: r.headers }));
}

/** A bare idempotent producer (acks=all, one request in flight: per-key order kept), one send() per batch. */
async function bareProducer(topic: string, records: Message[]): Promise<number> {
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    return await timed(async () => {
      for (let i = 0; i < records.length; i += BASELINE_BATCH) {
        await producer.send({ topic, acks: -1, messages: records.slice(i, i + BASELINE_BATCH) });
      }
    });
  } finally {
    await producer.disconnect();
  }
}

async function drain(db: DataSource, relay: OutboxRelay): Promise<number> {
  return timed(async () => {
    relay.start();
    for (;;) {
      const [{ n }] = (await db.query(`select count(*)::int as n from outbox where published_at is null`)) as {
        n: number;
      }[];
      if (n === 0) return;
      await sleep(10);
    }
  });
}

/** relay: the OutboxRelay draining a full outbox vs a bare producer sending the same records. */
export async function benchRelay({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const count = Number(process.env.BENCH_RELAY ?? (quick ? 20_000 : 100_000));
  const database = await createDatabase('relay');
  const prefix = `bench-${uniqueSuffix()}.`;
  const topic = topicName(Topics.user.name, prefix);
  const db = await new DataSource({ type: 'postgres', url: database.url, migrations: outboxMigrations, extra: { max: 4 } }).initialize();
  const publisher = new KafkaOutboxPublisher({
    kafka: { KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'bench' },
    topicPrefix: prefix,
    partitions: 6,
    topics: [Topics.user],
  });
  try {
    await db.runMigrations();
    await fillOutbox(db, count);
    await publisher.ensureTopics();
    const baselineSeconds = await bareProducer(topic, await prebuiltRecords(db));
    const relay = new OutboxRelay(db, publisher, { ...defaultRelayOptions, service: 'bench', databaseUrl: database.url });
    const relaySeconds = await drain(db, relay);
    await relay.stop();
    const baseline = count / baselineSeconds;
    const rate = count / relaySeconds;
    return [
      {
        measure: 'relay',
        subject: `bare kafkajs producer: the same ${count} records pre-built, ${BASELINE_BATCH} per send(), idempotent, acks=all`,
        value: Math.round(baseline),
        unit: 'events/s',
        baseline: true,
      },
      {
        measure: 'relay',
        subject: `OutboxRelay draining ${count} rows (claim, publish, mark)`,
        value: Math.round(rate),
        unit: 'events/s',
        baseline: false,
        note: `${(rate / baseline).toFixed(2)}× baseline`,
      },
    ];
  } finally {
    await publisher.close();
    await db.destroy();
    await database.drop();
    await deleteTopics([topic]);
  }
}
