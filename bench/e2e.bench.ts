import { Client } from 'pg';
import { BenchRow } from './bench-row';
import { AuthWriter } from '../test/support/auth-writer';
import { until } from '../test/support/eventually';
import { kafkaHop } from './support/kafka-hop';
import { LagTracker } from './support/lag';
import { machineBusySeconds } from './support/process-cpu';
import { runAtRate } from './support/rate';
import { installStageClocks, StageClocks, stagesRequested } from './support/stages';
import { system } from './support/system';
import { watchApplied } from './support/watchers';

/**
 * One rename per transaction, as PATCH commits them; then 5,000/s again with ten per transaction, as
 * a batch job commits them: the same events, a tenth of the commits, for what the pipeline carries
 * when the writer's cost per commit is not what stops it.
 */
const STEPS = [
  { rate: 200, perTransaction: 1 },
  { rate: 1_000, perTransaction: 1 },
  { rate: 5_000, perTransaction: 1 },
  { rate: 5_000, perTransaction: 10 },
];
/**
 * Users the renames cycle through: enough that concurrent renames rarely wait on one user's lock
 * (transactions of ten take consecutive users, so 32 in flight share one only when one of them has
 * fallen 40 transactions behind the others; they then wait, never deadlock: locks go in id order).
 */
const USERS = 400;
const WRITER_CONNECTIONS = 32;

async function waitForView(groupsDatabaseUrl: string, ids: string[]): Promise<void> {
  const client = new Client({ connectionString: groupsDatabaseUrl });
  await client.connect();
  try {
    let seen = 0;
    await until(
      () => `${ids.length} users in the view (${seen} were)`,
      async () => {
        const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from users where id = any($1)`, [
          ids,
        ]);
        seen = rows[0].n;
        return seen === ids.length ? true : undefined;
      },
      120_000,
      200,
    );
  } finally {
    await client.end();
  }
}

function rows(
  subject: string,
  baseline: boolean,
  tracker: LagTracker,
  achieved: number,
  rate: number,
  busySeconds: number,
): BenchRow[] {
  const s = tracker.summary();
  // The whole machine's CPU (anything running on it: the writer, both apps even when idle, the
  // broker, PostgreSQL) per event, from the first commit to the last event seen: a cost the hour's
  // speed moves less than a latency. A drain that timed out counts its idle wait: no figure then.
  const cpuPerEvent = s.unseen === 0 && s.count > 0 ? ((busySeconds * 1000) / s.count).toFixed(2) : 'n/a';
  // Bounded: everything applied in the end, and the last quarter's p99 within 25 % (+50 ms of
  // jitter) of the first's; a lag that grows through the run fails it.
  const bounded = s.unseen === 0 && s.lastQuarterP99 <= 1.25 * s.firstQuarterP99 + 50;
  const note =
    `p95 ${s.p95} ms, max ${s.max} ms, ${s.count} events at ${Math.round(achieved)}/s of ${rate}/s, ` +
    `machine CPU ${cpuPerEvent} ms per event` +
    (s.unseen > 0 ? `, ${s.unseen} not seen in time` : '') +
    (baseline
      ? ''
      : `; lag ${bounded ? 'bounded' : 'GROWING'} (p99 first quarter ${s.firstQuarterP99} ms, last ${s.lastQuarterP99} ms)`);
  return [
    { measure: 'end to end', subject: `${subject} at ${rate}/s: p50`, value: s.p50, unit: 'ms', baseline },
    { measure: 'end to end', subject: `${subject} at ${rate}/s: p99`, value: s.p99, unit: 'ms', baseline, note },
  ];
}

/**
 * end to end: renames committed in auth's database through its entities and outbox subscriber, at
 * fixed rates → applied in group-management's view (its commit). Baseline: the Kafka hop alone.
 */
export async function benchEndToEnd({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const seconds = quick ? 2 : 20;
  const { auth, groups } = await system();
  const writer = await AuthWriter.open(auth.database.url, WRITER_CONNECTIONS);
  const results: BenchRow[] = [];
  try {
    const users = await writer.createUsers(USERS);
    await waitForView(groups.database.url, users);
    // Opens the writer's connections before any clock starts.
    await Promise.all(users.slice(0, WRITER_CONNECTIONS).map((id) => writer.rename(id, 'Warmed up')));
    const clocks: StageClocks | undefined = stagesRequested
      ? await installStageClocks(auth.database.url, groups.database.url)
      : undefined;
    let tracker = new LagTracker();
    const stopWatching = await watchApplied(groups.database.url, (id, version) => tracker.seen(id, version));
    try {
      // The Kafka hop once per rate: the batched step stands beside the same rate's baseline.
      let hopRate: number | undefined;
      for (const { rate, perTransaction } of STEPS) {
        if (hopRate !== rate) {
          hopRate = rate;
          const hop = await kafkaHop(rate, seconds, quick ? 5_000 : 10_000);
          results.push(
            ...rows(
              'Kafka alone: produce (acks=all) → bare consumer',
              true,
              hop.tracker,
              hop.rate.achieved,
              rate,
              hop.busySeconds,
            ),
          );
        }
        tracker = new LagTracker();
        const stepStarted = new Date();
        const busyBefore = machineBusySeconds();
        const started = performance.now();
        tracker.setWindow(started, started + seconds * 1000);
        const run = await runAtRate(rate / perTransaction, seconds, WRITER_CONNECTIONS, async (i) => {
          if (perTransaction === 1) {
            const id = users[i % users.length];
            tracker.committed(id, await writer.rename(id, `Renamed ${i}`));
            return;
          }
          const ids = Array.from({ length: perTransaction }, (_, k) => users[(i * perTransaction + k) % users.length]);
          const versions = await writer.renameAll(ids.map((userId) => ({ userId, displayName: `Renamed ${i}` })));
          ids.forEach((id, k) => tracker.committed(id, versions[k]));
        });
        await tracker.drain(quick ? 5_000 : 60_000);
        const busySeconds = machineBusySeconds() - busyBefore;
        const subject =
          perTransaction === 1
            ? "commit in auth → applied in group-management's view"
            : `commit in auth, ${perTransaction} renames per transaction → applied in group-management's view`;
        const measured = rows(subject, false, tracker, run.achieved * perTransaction, rate, busySeconds);
        if (clocks) measured[1].note += `; ${await clocks.split(stepStarted)}`;
        results.push(...measured);
      }
    } finally {
      await clocks?.remove();
      await stopWatching();
    }
  } finally {
    await writer.close();
  }
  return results;
}
