import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { ensureTopics, topicReplication } from '@playball/platform/kafka';
import { BenchRow } from './bench-row';
import { until } from '../test/support/eventually';
import { brokers, deleteTopics, kafka, uniqueSuffix } from './support/infra';
import { bareProducer, fillOutbox, prebuiltRecords, untilPublished } from './support/outbox-load';
import { system } from './support/system';

/** Seconds since `since` (performance.now()) when group-management's view holds `count` users named `${name} <n>`. */
async function untilApplied(view: Client, name: string, count: number, since: number): Promise<number> {
  let applied = 0;
  return await until(
    () => `${count} events applied (${applied} were)`,
    async () => {
      const { rows } = await view.query<{ n: number }>(
        `select count(*)::int as n from users where display_name like $1`,
        [`${name} %`],
      );
      applied = rows[0].n;
      return applied === count ? (performance.now() - since) / 1000 : undefined;
    },
    300_000,
    20,
  );
}

/**
 * backlog: the apps catching up, as after a broker outage: rows committed at once to auth's outbox,
 * published by the relay thread of the running auth, and applied by group-management. The relay
 * measure runs the relay thread alone in the bench's process; this one shows its rate inside the
 * app, and each app's peak memory while a claim holds 5,000 rows. Baseline: a bare producer sending
 * the same records, pre-built, to a topic of its own (so group-management does not apply them twice).
 */
export async function benchBacklog({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const count = quick ? 20_000 : 100_000;
  const { auth, groups } = await system();
  const db = await new DataSource({ type: 'postgres', url: auth.database.url, extra: { max: 2 } }).initialize();
  const view = new Client({ connectionString: groups.database.url });
  await view.connect();
  const baselinePrefix = `bench-${uniqueSuffix()}.`;
  const baselineTopic = topicName(Topics.user.name, baselinePrefix);
  const replication = topicReplication({ KAFKA_BROKERS: brokers, KAFKA_CLIENT_ID: 'bench' });
  try {
    await ensureTopics(kafka, [{ spec: Topics.user, partitions: 6 }], baselinePrefix, replication);
    const producer = await bareProducer(baselineTopic);
    try {
      const backlog = async (n: number) => {
        const name = `Backlog ${uniqueSuffix()}`;
        await fillOutbox(db, n, name);
        const committed = performance.now();
        await untilPublished(db);
        const published = (performance.now() - committed) / 1000;
        return { published, applied: await untilApplied(view, name, n, committed) };
      };
      // A tenth first, unmeasured, as the relay measure does: neither side pays for JIT compilation.
      const warmup = Math.round(count / 10);
      await backlog(warmup);
      await producer.send(await prebuiltRecords(db, warmup));

      // The peaks from here on are the backlog's: the measures before may have set higher ones.
      const before = { auth: auth.restartPeakRss(), groups: groups.restartPeakRss() };
      const { published, applied } = await backlog(count);
      const during = { auth: auth.restartPeakRss(), groups: groups.restartPeakRss() };
      const baseline = count / (await producer.send(await prebuiltRecords(db, count)));
      const rate = count / published;
      // A restarted peak starts from the memory resident then, which the measures before may have left.
      const peak = (app: 'auth' | 'groups') =>
        `${Math.round(during[app].peak)} MiB (${Math.round(before[app].resident)} resident at its start, ` +
        `${Math.round(before[app].peak)} the peak before it)`;
      return [
        {
          measure: 'backlog',
          subject: `bare kafkajs producer: the same ${count} records pre-built`,
          value: Math.round(baseline),
          unit: 'events/s',
          baseline: true,
        },
        {
          measure: 'backlog',
          subject: `auth's relay thread, in the running app, publishing ${count} rows committed at once`,
          value: Math.round(rate),
          unit: 'events/s',
          baseline: false,
          note:
            `${(rate / baseline).toFixed(2)}× baseline, with group-management applying them on the same cores; ` +
            `all applied in its view ${applied.toFixed(1)} s after the commit (${Math.round(count / applied)}/s); ` +
            `peak RSS over the backlog: auth ${peak('auth')}, group-management ${peak('groups')}`,
        },
      ];
    } finally {
      await producer.close();
    }
  } finally {
    await view.end();
    await db.destroy();
    await deleteTopics([baselineTopic]);
  }
}
