import { DataSource } from 'typeorm';
import { Message, Partitioners, Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { addToOutbox, event } from '@playball/outbox';
import { until } from '../../test/support/eventually';
import { kafka } from './infra';
import { timed } from './timing';

/** Records per send() of the bare producer; 5,000 was the fastest of 500–10,000 here. */
export const BARE_PRODUCER_BATCH = 5_000;

/**
 * Commits `count` `user.registered` events to the outbox in one transaction, so a relay already
 * leading sees the whole backlog at once, at commit. Each new user is named `${name} <n>`.
 */
export async function fillOutbox(db: DataSource, count: number, name = 'Player'): Promise<void> {
  await db.transaction(async (m) => {
    for (let done = 0; done < count; done += 1_000) {
      const entries = Array.from({ length: Math.min(1_000, count - done) }, (_, i) =>
        event('playball.user.registered.v1', { userId: uuidv7(), displayName: `${name} ${done + i}`, version: 1 }),
      );
      await addToOutbox(m, entries);
    }
  });
}

/** Seconds from the commit of `count` new rows (fillOutbox) to the moment none of the outbox is unpublished. */
export async function drainOutbox(db: DataSource, count: number): Promise<number> {
  let committed = 0;
  const total = await timed(async () => {
    const started = process.hrtime.bigint();
    await fillOutbox(db, count);
    committed = Number(process.hrtime.bigint() - started) / 1e9;
    await untilPublished(db);
  });
  return total - committed;
}

/** Polls every 10 ms until no outbox row is left unpublished. */
export async function untilPublished(db: DataSource): Promise<void> {
  await until(
    'every outbox row published',
    async () => {
      const [{ pending }] = (await db.query(
        `select exists (select 1 from outbox where published_at is null) as pending`,
      )) as { pending: boolean }[];
      return pending ? undefined : true;
    },
    300_000,
    10,
  );
}

/** The last `count` records of the outbox, built as the relay's publisher builds them (the payload as PostgreSQL prints it). */
export async function prebuiltRecords(db: DataSource, count: number): Promise<Message[]> {
  const rows = (await db.query(`select key, headers, payload::text as value from outbox order by id desc limit $1`, [
    count,
  ])) as { key: string; headers: Record<string, string>; value: string }[];
  return rows.reverse().map((r) => ({ key: r.key, value: r.value, headers: r.headers }));
}

export interface BareProducer {
  /** Sends the records, BARE_PRODUCER_BATCH per send(); resolves with the seconds it took. */
  send(records: Message[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * A bare idempotent producer (acks=all, one request in flight: per-key order kept), with the
 * partitioner the relay's murmur2 matches: the raw baseline of publishing outbox rows.
 */
export async function bareProducer(topic: string): Promise<BareProducer> {
  const producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  return {
    send: (records) =>
      timed(async () => {
        for (let i = 0; i < records.length; i += BARE_PRODUCER_BATCH) {
          await producer.send({ topic, acks: -1, messages: records.slice(i, i + BARE_PRODUCER_BATCH) });
        }
      }),
    close: () => producer.disconnect(),
  };
}
