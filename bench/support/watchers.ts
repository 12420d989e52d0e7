import { Client } from 'pg';
import { Consumer } from 'kafkajs';
import { topicName, Topics } from '@playball/events';
import { kafka, uniqueSuffix } from './infra';

export type Seen = (userId: string, version: number) => void;

/**
 * Reports each user version group-management applies to its view, at its commit: a bench-only
 * trigger on the view notifies, and PostgreSQL delivers a notification at commit.
 */
export async function watchApplied(groupsDatabaseUrl: string, seen: Seen): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: groupsDatabaseUrl });
  await client.connect();
  await client.query(`
    create or replace function bench_applied() returns trigger language plpgsql as $$
    begin perform pg_notify('bench_applied', new.id || ' ' || new.version); return null; end $$`);
  await client.query(`drop trigger if exists bench_applied on users`);
  await client.query(
    `create trigger bench_applied after insert or update on users for each row execute function bench_applied()`,
  );
  client.on('notification', ({ payload }) => {
    const [id, version] = (payload ?? '').split(' ');
    seen(id, Number(version));
  });
  await client.query('listen bench_applied');
  return async () => {
    await client.query(`drop trigger if exists bench_applied on users`);
    await client.end();
  };
}

/** Reports each user event as a consumer of auth's topic receives it. */
export async function watchTopic(prefix: string, seen: Seen): Promise<() => Promise<void>> {
  const consumer: Consumer = kafka.consumer({
    groupId: `bench-watch-${uniqueSuffix()}`,
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(Topics.user.name, prefix), fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const sequence = message.headers?.ce_sequence?.toString();
      if (message.key && sequence) seen(message.key.toString(), Number(sequence));
    },
  });
  await joined;
  return () => consumer.disconnect();
}
