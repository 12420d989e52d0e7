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
  RelayThread,
} from '@playball/outbox';
import { BenchRow } from './bench-row';
import { brokers, createDatabase, deleteTopics, kafka as bareKafka, sleep, uniqueSuffix } from './support/infra';
import { timed } from './support/timing';

/** Records per send() of the baseline; 5,000 was the fastest of 500–10,000 here. */
const BASELINE_BATCH = 5_000;

/** One transaction, so the relay (already leading) sees the whole backlog at once, at commit. */
async function fillOutbox(db: DataSource, count: number): Promise<void> {
  await db.transaction(async (m) => {
    for (let done = 0; done < count; done += 1_000) {
      const entries = Array.from({ length: Math.min(1_000, count - done) }, (_, i) =>
        event('playball.user.registered.v1', { userId: uuidv7(), displayName: `Player ${done + i}`, version: 1 }),
      );
      await addToOutbox(m, entries);
    }
  });
}

async function untilLeading(relay: RelayThread): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!relay.isLeader) {
    if (Date.now() > deadline) throw new Error('the relay thread did not take the lead within 60 s');
    await sleep(50);
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

/**
 * A bare idempotent producer (acks=all, one request in flight: per-key order kept), one send() per
 * batch; `warmup` records are sent before the clock starts, as the relay drains its warm-up first.
 */
async function bareProducer(topic: string, records: Message[], warmup: number): Promise<number> {
  const producer: Producer = bareKafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const send = async (batch: Message[]) => {
    for (let i = 0; i < batch.length; i += BASELINE_BATCH) {
      await producer.send({ topic, acks: -1, messages: batch.slice(i, i + BASELINE_BATCH) });
    }
  };
  try {
    await send(records.slice(0, warmup));
    return await timed(() => send(records.slice(warmup)));
  } finally {
    await producer.disconnect();
  }
}

/** From the commit of the backlog to the moment none of it is left unpublished. */
async function drain(db: DataSource, count: number): Promise<number> {
  let committed = 0;
  const total = await timed(async () => {
    const started = process.hrtime.bigint();
    await fillOutbox(db, count);
    committed = Number(process.hrtime.bigint() - started) / 1e9;
    for (;;) {
      const [{ n }] = (await db.query(`select count(*)::int as n from outbox where published_at is null`)) as {
        n: number;
      }[];
      if (n === 0) return;
      await sleep(10);
    }
  });
  return total - committed;
}

/** relay: the OutboxRelay draining a full outbox vs a bare producer sending the same records. */
export async function benchRelay({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const count = Number(process.env.BENCH_RELAY ?? (quick ? 20_000 : 100_000));
  const database = await createDatabase('relay');
  const prefix = `bench-${uniqueSuffix()}.`;
  const topic = topicName(Topics.user.name, prefix);
  const db = await new DataSource({
    type: 'postgres',
    url: database.url,
    migrations: outboxMigrations,
    extra: { max: 4 },
  }).initialize();
  const kafka = { KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'bench' };
  const publisher = new KafkaOutboxPublisher({ kafka, topicPrefix: prefix, partitions: 6, topics: [Topics.user] });
  try {
    await db.runMigrations();
    await publisher.ensureTopics();
    const batchSize = Number(process.env.BENCH_RELAY_BATCH ?? defaultRelayOptions.batchSize);
    const relay = new RelayThread({
      kafka,
      topicPrefix: prefix,
      partitions: 6,
      topics: [Topics.user],
      relay: { ...defaultRelayOptions, batchSize, service: 'bench', databaseUrl: database.url },
      poolSize: 3,
      statementTimeoutMs: 30_000,
      log: { service: 'bench', level: 'warn', format: 'json' },
    });
    await relay.start();
    await untilLeading(relay);
    // Both sides first send a tenth as many records unmeasured, so that neither pays for JIT
    // compilation (Node's, the broker's) inside its figure. Without it the relay, measured first,
    // varied from 15,512/s (a full run) to 27,739–29,318/s (runs of it alone minutes later).
    const warmup = Math.round(count / 10);
    await drain(db, warmup);
    const relaySeconds = await drain(db, count);
    await relay.stop();
    const baselineSeconds = await bareProducer(topic, await prebuiltRecords(db), warmup);
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
        subject: `the relay thread draining ${count} rows (claim, publish per partition, mark), batches of ${batchSize}`,
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
