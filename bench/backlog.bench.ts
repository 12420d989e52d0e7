import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { ensureTopics, topicReplication } from '@playball/platform/kafka';
import { BenchRow } from './bench-row';
import { brokers, deleteTopics, kafka, sleep, uniqueSuffix } from './support/infra';
import { bareProducer, fillOutbox, prebuiltRecords } from './support/outbox-load';
import { system } from './support/system';

/** Polls until `done`; the seconds since `since` (performance.now()) when it was. */
async function secondsUntil(what: string, done: () => Promise<boolean>, since: number): Promise<number> {
  const deadline = performance.now() + 300_000;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`not ${what} after 300 s`);
    await sleep(10);
  }
  return (performance.now() - since) / 1000;
}

/**
 * backlog: the apps catching up, as after a broker outage: rows committed at once to auth's outbox,
 * published by the relay thread of the running auth, and applied by group-management. The relay
 * measure runs the relay thread alone in the bench's process; this one shows its rate inside the
 * app, and what the apps' memory comes to while a claim holds 5,000 rows (the note, and the peak RSS
 * rows of the run). Baseline: a bare producer sending the same records, pre-built, to a topic of
 * its own (so group-management does not apply them twice).
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
  await ensureTopics(kafka, [{ spec: Topics.user, partitions: 6 }], baselinePrefix, replication);
  const producer = await bareProducer(baselineTopic);
  try {
    const backlog = async (n: number, name: string) => {
      await fillOutbox(db, n, name);
      const committed = performance.now();
      const unpublished = async () =>
        ((await db.query(`select count(*)::int as n from outbox where published_at is null`)) as { n: number }[])[0].n;
      const applied = async () =>
        (
          await view.query<{ n: number }>(`select count(*)::int as n from users where display_name like $1`, [
            `${name} %`,
          ])
        ).rows[0].n;
      return {
        published: await secondsUntil('published', async () => (await unpublished()) === 0, committed),
        applied: await secondsUntil('applied', async () => (await applied()) === n, committed),
      };
    };
    // A tenth first, unmeasured, as the relay measure does: neither side pays for JIT compilation.
    const warmup = Math.round(count / 10);
    await backlog(warmup, `Warm-up ${uniqueSuffix()}`);
    await producer.send(await prebuiltRecords(db, warmup));

    const rssBefore = { auth: auth.peakRssMiB(), groups: groups.peakRssMiB() };
    const { published, applied } = await backlog(count, `Backlog ${uniqueSuffix()}`);
    const rssAfter = { auth: auth.peakRssMiB(), groups: groups.peakRssMiB() };
    const baseline = count / (await producer.send(await prebuiltRecords(db, count)));
    const rate = count / published;
    const peak = (app: 'auth' | 'groups') => `${Math.round(rssBefore[app])} → ${Math.round(rssAfter[app])} MiB`;
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
          `all applied in its view ${applied.toFixed(1)} s ` +
          `after the commit (${Math.round(count / applied)}/s); peak RSS over the run: auth ${peak('auth')}, ` +
          `group-management ${peak('groups')}`,
      },
    ];
  } finally {
    await producer.close();
    await view.end();
    await db.destroy();
    await deleteTopics([baselineTopic]);
  }
}
