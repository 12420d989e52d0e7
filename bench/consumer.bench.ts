/**
 * Consumer throughput: a backlog of user events applied by group-management's real consumer
 * (InboxKafkaServer, the inbox, the user view) beside a bare kafkajs consumer writing the same rows
 * with plain SQL, on the same broker and database server in the same run.
 *
 * Standalone: `node -r @swc-node/register bench/consumer.bench.ts` (BENCH_QUICK=1 for 10,000
 * events). Needs the infrastructure up (`npm run infra:up`); reads KAFKA_BROKERS and DATABASE_URL.
 */
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { InboxConsumerStatus } from '@playball/inbox';
import { ensureTopics, topicReplication } from '@playball/platform/kafka';
import { createGroupManagementApp } from '../apps/group-management/src/app';
import { loadGroupManagementConfig } from '../apps/group-management/src/config';
import { groupManagementDataSourceOptions } from '../apps/group-management/src/database/data-source';
import type { Kafka } from 'kafkajs';
import { BenchRow } from './bench-row';
import { admin, brokers, kafka, serverUrl as server, uniqueSuffix } from './support/infra';
import { startRawConsumer } from './consumer/raw-consumer';
import { committedToEnd, ExpectedView, produce, userEvents } from './consumer/workload';

const partitions = 6;

export async function benchConsumer(options: { quick: boolean }): Promise<BenchRow[]> {
  const count = options.quick ? 10_000 : 100_000;
  const run = uniqueSuffix();
  const prefix = `bench-${run}.`;
  const topic = topicName(Topics.user.name, prefix);
  const databases = [`playball_bench_${run}_raw`, `playball_bench_${run}_inbox`];
  try {
    const replication = topicReplication({ KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'bench' });
    await ensureTopics(kafka, [{ spec: Topics.user, partitions }], prefix, replication);
    const { messages, expected } = userEvents(count);
    await produce(kafka, topic, messages);
    for (const name of databases) await createDatabase(name);

    const raw = await timed(count, () => drainRaw(kafka, databases[0], topic, `bench-raw-${run}`));
    await verifyView(databases[0], expected, count);
    const inbox = await timed(count, () => drainInbox(kafka, databases[1], prefix, topic, `bench-inbox-${run}`));
    await verifyView(databases[1], expected, count);

    const note = (seconds: number) => `${count} events in ${seconds.toFixed(2)} s`;
    return [
      {
        measure: 'consumer',
        subject: 'bare kafkajs consumer, plain SQL, one transaction per batch',
        value: raw.rate,
        unit: 'events/s',
        baseline: true,
        note: note(raw.seconds),
      },
      {
        measure: 'consumer',
        subject: 'group-management: InboxKafkaServer, inbox, user view',
        value: inbox.rate,
        unit: 'events/s',
        baseline: false,
        note: note(inbox.seconds),
      },
    ];
  } finally {
    for (const name of databases) await admin(`drop database if exists ${name} with (force)`);
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await kafkaAdmin.disconnect();
  }
}

/** The time from the consumer joining its group (`start` resolves then) to the last commit. */
async function timed(count: number, drain: () => Promise<{ joined: Promise<number>; done: Promise<void> }>) {
  const { joined, done } = await drain();
  const started = await joined;
  await done;
  const seconds = (performance.now() - started) / 1_000;
  return { seconds, rate: Math.round(count / seconds) };
}

async function drainRaw(kafka: Kafka, database: string, topic: string, groupId: string) {
  const pool = new Pool({ connectionString: `${server}/${database}`, max: partitions });
  const { consumer, joined } = await startRawConsumer(kafka, pool, topic, groupId);
  const done = (async () => {
    await committedToEnd(kafka, topic, groupId);
    await consumer.disconnect();
    await pool.end();
  })();
  return { joined, done };
}

async function drainInbox(kafka: Kafka, database: string, prefix: string, topic: string, groupId: string) {
  const config = loadGroupManagementConfig({
    DATABASE_URL: `${server}/${database}`,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: String(partitions),
    KAFKA_CONSUMER_GROUP: groupId,
    DB_MIGRATIONS_RUN: 'false',
    LOG_LEVEL: 'warn',
  });
  const app = await createGroupManagementApp(config);
  const status = app.get(InboxConsumerStatus);
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const joined = status.whenConsuming().then(() => performance.now());
  const done = (async () => {
    await committedToEnd(kafka, topic, groupId);
    await app.close();
  })();
  return { joined, done };
}

async function createDatabase(name: string): Promise<void> {
  await admin(`create database ${name}`);
  const options = groupManagementDataSourceOptions(`${server}/${name}`);
  // The app's QueryLogger reports each migration; a benchmark's output is its table.
  const db = await new DataSource({ ...options, logger: 'simple-console', logging: false }).initialize();
  try {
    await db.runMigrations();
  } finally {
    await db.destroy();
  }
}

/** A figure counts only if the work was done: every event in the inbox, every user at its last version. */
async function verifyView(database: string, expected: ExpectedView, count: number): Promise<void> {
  const client = new Client({ connectionString: `${server}/${database}` });
  await client.connect();
  try {
    const { rows } = await client.query<{ events: number; users: number; deleted: number; version_sum: number }>(
      `select (select count(*)::int from inbox) as events, count(*)::int as users,
              count(deleted_at)::int as deleted, sum(version)::int as version_sum from users`,
    );
    const actual = rows[0];
    const wanted = {
      events: count,
      users: expected.users,
      deleted: expected.deleted,
      version_sum: expected.versionSum,
    };
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
      throw new Error(`${database}: the view is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
    }
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  benchConsumer({ quick: process.env.BENCH_QUICK === '1' })
    .then((rows) => {
      console.log('| measure | subject | value | unit | baseline | note |');
      console.log('| --- | --- | ---: | --- | --- | --- |');
      for (const r of rows) {
        console.log(
          `| ${r.measure} | ${r.subject} | ${r.value} | ${r.unit} | ${r.baseline ? 'yes' : ''} | ${r.note ?? ''} |`,
        );
      }
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
