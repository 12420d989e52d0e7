import { deadLetterTopicName, Topics, topicName } from '@playball/events';
import { AuthWriter } from '../support/auth-writer';
import { startBroker, stopBroker } from '../support/broker';
import { terminateConnections } from '../support/databases';
import { TopicReader, withAdmin } from '../support/kafka';
import { System } from '../support/system';
import { brokerKills } from './broker-faults';
import {
  outOfOrderKeys,
  query,
  queuedCleanups,
  unexpectedErrors,
  unpublishedOutboxRows,
  viewDifferences,
} from './checks';
import { seededRandom } from './random';
import { peakRate } from './rates';
import { Workload } from './workload';

const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const durationMs = Number(process.env.CHAOS_DURATION_MS ?? 60_000);
const users = Number(process.env.CHAOS_USERS ?? 200);
/**
 * The load phase (LoadPhase): this many more clients, renaming and changing groups as fast as they
 * are answered.
 */
const loadClients = Number(process.env.CHAOS_LOAD_CLIENTS ?? 0);
/**
 * And this many writers renaming users through auth's capture path (entities and outbox subscriber
 * in transactions, no HTTP), each on a connection of its own, up to CHAOS_LOAD_BATCH renames per
 * transaction (Workload.captureStep says why).
 */
const loadWriters = Number(process.env.CHAOS_LOAD_WRITERS ?? 16);
const loadBatch = Number(process.env.CHAOS_LOAD_BATCH ?? 10);

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * Once no fault is in progress, what is left is catching up: the relays publish what the outboxes
 * hold and the consumer applies it. Measured and explained in docs/guarantees.md.
 */
const convergenceBoundMs = 5_000;

/**
 * From the start of the broker's outage to the end of the second instances' stop, wherever the
 * machine's speed puts them, so the guarantees are shown under load and faults at once. Set by the
 * faults rather than the clock: on a slow hour the schedule drifts by tens of seconds, and a window
 * by the clock fell on two apps' restarts instead (70–100 % of a core for 10–15 s each, which
 * starved the load it was there to show). The broker's own restart, and on the three-node cluster
 * a partition leader's SIGKILL, do fall inside it.
 */
class LoadPhase {
  from = 0;
  to = 0;
  private begin!: () => void;
  readonly begun = new Promise<void>((resolve) => (this.begin = resolve));

  start(): void {
    this.from ||= Date.now();
    this.begin();
  }

  /** Also called when the faults end without reaching it (one failed), so that no client waits forever. */
  end(): void {
    this.start();
    this.to ||= Date.now();
  }

  get running(): boolean {
    return this.to === 0;
  }
}

interface Fault {
  atMs: number;
  name: string;
  run(system: System): Promise<void>;
}

async function killAndRestart(system: System, name: 'auth' | 'group-management'): Promise<void> {
  const victim = system.instances.find((i) => i.name === name && i.running);
  await victim?.stop('SIGKILL');
  await victim?.start();
}

/** Cuts every connection the apps hold, in this run's two databases only. */
async function terminateAppConnections(system: System): Promise<void> {
  await terminateConnections(
    [system.authDatabaseUrl, system.groupsDatabaseUrl].map((url) => new URL(url).pathname.slice(1)),
  );
}

/** The fault schedule, spread over the run; jittered by the seed so runs differ but replay. */
function schedule(random: () => number, load: LoadPhase): Fault[] {
  const at = (fraction: number) => Math.floor(durationMs * (fraction + (random() - 0.5) * 0.04));
  const extra: { auth?: Promise<unknown>; groups?: Promise<unknown> } = {};
  return [
    { atMs: at(0.08), name: 'auth SIGKILL #1', run: (s) => killAndRestart(s, 'auth') },
    { atMs: at(0.15), name: 'group-management SIGKILL #1', run: (s) => killAndRestart(s, 'group-management') },
    { atMs: at(0.22), name: 'PostgreSQL connections terminated', run: (s) => terminateAppConnections(s) },
    {
      atMs: at(0.3),
      name: 'second instance of each app started',
      run: async (s) => {
        extra.auth = s.add('auth');
        extra.groups = s.add('group-management');
        await Promise.all([extra.auth, extra.groups]);
      },
    },
    { atMs: at(0.38), name: 'auth SIGKILL #2', run: (s) => killAndRestart(s, 'auth') },
    { atMs: at(0.45), name: 'group-management SIGKILL #2', run: (s) => killAndRestart(s, 'group-management') },
    {
      atMs: at(0.52),
      name: 'Kafka broker stopped for 8 s and restarted',
      run: async (s) => {
        load.start();
        await stopBroker();
        await new Promise((resolve) => setTimeout(resolve, 8_000)); // the fault's duration, not a wait for a condition
        startBroker();
        // Over when the apps say so, as a SIGKILL is over when the restarted instance does.
        await Promise.all(s.instances.filter((i) => i.running).map((i) => i.whenHealthy()));
      },
    },
    {
      atMs: at(0.7),
      name: 'second instances stopped',
      run: async (s) => {
        const seconds = s.instances.filter((i) => i.running).slice(2);
        await Promise.all(seconds.map((i) => i.stop('SIGTERM')));
        load.end();
      },
    },
    { atMs: at(0.8), name: 'auth SIGKILL #3', run: (s) => killAndRestart(s, 'auth') },
    { atMs: at(0.9), name: 'group-management SIGKILL #3', run: (s) => killAndRestart(s, 'group-management') },
  ];
}

describe('the guarantees under faults', () => {
  const system = new System();
  let writer: AuthWriter | undefined;

  afterAll(async () => {
    await writer?.close();
    await system.stop();
  });

  it(`converges with nothing lost, nothing applied twice and order kept (seed ${seed})`, async () => {
    console.log(`chaos seed ${seed} (replay with CHAOS_SEED=${seed}), ${durationMs} ms, up to ${users} users`);
    await system.start();
    if (loadWriters > 0) writer = await AuthWriter.open(system.authDatabaseUrl, loadWriters);
    const random = seededRandom(seed);
    const workload = new Workload(system, random, users);
    const load = new LoadPhase();
    const faults = [...schedule(random, load), ...brokerKills(durationMs)].sort((a, b) => a.atMs - b.atMs);
    const injected: string[] = [];

    const started = Date.now();
    let faultsOver = false;
    const faultRunner = (async () => {
      for (const fault of faults) {
        const wait = started + fault.atMs - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const from = seconds(Date.now() - started);
        await fault.run(system);
        injected.push(`${fault.name} (${from}–${seconds(Date.now() - started)} s)`);
      }
    })().finally(() => {
      faultsOver = true;
      load.end();
    });
    // Four concurrent clients, for the planned duration and until the last fault is over (its victim
    // back and healthy): on a busy machine faults fall behind their schedule, and convergence is
    // judged from a moment when no fault is still in progress.
    await Promise.all([
      ...[0, 1, 2, 3].map(async () => {
        while (Date.now() - started < durationMs || !faultsOver) await workload.step();
      }),
      ...Array.from({ length: loadClients }, async () => {
        await load.begun;
        while (load.running) await workload.step(true);
      }),
      ...Array.from({ length: loadWriters }, async (_, index) => {
        await load.begun;
        while (load.running) await workload.captureStep(writer!, loadBatch, { index, of: loadWriters });
      }),
    ]);
    await faultRunner;
    const workloadEnded = Date.now();

    // Settle: the view equal to auth's truth, group-management's follow-up work done, every outbox
    // drained; read in that order. Applying a user's deletion commits the view's change with the
    // group events it causes (and queues a clean-up that makes more), so once the view and the queue
    // read settled, those events are already in the outbox the next read sees. Read the other way
    // round, a deletion applied between the reads let the run read the topics before its events
    // were published (30 events of removed members counted lost that were on the topic).
    const everRegistered = workload.players.map((p) => p.id);
    let differences: string[];
    const settleDeadline = Date.now() + 120_000;
    let leftToDo: string | undefined;
    for (;;) {
      differences = await viewDifferences(system.authDatabaseUrl, system.groupsDatabaseUrl, everRegistered);
      const backlog =
        (await queuedCleanups(system.groupsDatabaseUrl)) +
        (await unpublishedOutboxRows(system.groupsDatabaseUrl)) +
        (await unpublishedOutboxRows(system.authDatabaseUrl));
      leftToDo ??= `${backlog} / ${differences.length}`;
      if ((backlog === 0 && differences.length === 0) || Date.now() > settleDeadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const convergenceMs = Date.now() - workloadEnded;

    const userTopic = topicName(Topics.user.name, system.prefix);
    const groupTopic = topicName(Topics.group.name, system.prefix);
    const dlq = deadLetterTopicName(userTopic, system.consumerGroup);
    const highWatermarks = await withAdmin(async (admin) =>
      Promise.all(
        [userTopic, groupTopic, dlq].map(async (t) =>
          (await admin.fetchTopicOffsets(t)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0),
        ),
      ),
    );
    const reader = await new TopicReader([userTopic, groupTopic]).start();
    const records = await reader.waitFor(highWatermarks[0] + highWatermarks[1], () => true, 60_000);
    await reader.stop();

    const events = records.filter((r) => r.value !== null);
    const distinct = new Set(events.map((r) => r.headers.ce_id));
    const outboxIds = [
      ...(await query<{ event_id: string }>(
        system.authDatabaseUrl,
        "select event_id from outbox where type <> 'kafka.tombstone'",
      )),
      ...(await query<{ event_id: string }>(system.groupsDatabaseUrl, 'select event_id from outbox')),
    ].map((r) => r.event_id);
    const lost = outboxIds.filter((id) => !distinct.has(id));
    const userEventIds = new Set(events.filter((r) => r.topic === userTopic).map((r) => r.headers.ce_id));
    const inbox = await query<{ event_id: string }>(
      system.groupsDatabaseUrl,
      'select event_id from inbox where consumer = $1',
      [system.consumerGroup],
    );
    const appliedTwice = inbox.length - new Set(inbox.map((r) => r.event_id)).size;
    const notApplied = [...userEventIds].filter((id) => !inbox.some((r) => r.event_id === id));
    const reordered = outOfOrderKeys(records);
    const unexpected = [
      ...system.instances.flatMap((i) => i.crashes),
      ...unexpectedErrors(system.instances.map((i) => i.logFile)),
    ];

    const answered = workload.stats.answeredAt;
    const rates = [
      (answered.length * 1000) / (workloadEnded - started),
      (answered.filter((t) => t >= load.from && t < load.to).length * 1000) / (load.to - load.from),
      peakRate(answered, 5_000),
    ].map((rate) => rate.toFixed(0));
    const transactions = workload.stats.capturedTransactionsAt;
    console.log(
      [
        `| chaos run, seed ${seed} | |`,
        '| --- | --- |',
        `| operations: total / refused by a rule / lost to a fault | ${workload.stats.operations} / ${workload.stats.refused} / ${workload.stats.failed} |`,
        `| operations by kind | ${JSON.stringify(workload.stats.byKind)} |`,
        `| operations lost to faults, by cause | ${JSON.stringify(workload.stats.failures)} |`,
        `| workload | ${seconds(workloadEnded - started)} s (planned ${seconds(durationMs)} s, then on until the last fault was over) |`,
        `| rate: whole workload / load phase (${loadClients} more clients over HTTP and ${loadWriters} writers through the capture path, up to ${loadBatch} renames per transaction, ${seconds(load.to - load.from)} s) / best 5 s | ${rates.join(' / ')} operations/s |`,
        `| captured renames: transactions / best 5 s | ${transactions.length} / ${peakRate(transactions, 5_000).toFixed(0)} transactions/s |`,
        `| users registered | ${workload.players.length} |`,
        `| faults injected | ${injected.length}: ${injected.join('; ')} |`,
        `| events produced | ${outboxIds.length} |`,
        `| duplicates delivered (records on the topics beyond one per event) | ${events.length - distinct.size} |`,
        `| duplicates applied (must be 0) | ${appliedTwice} |`,
        `| lost (must be 0) | ${lost.length} |`,
        `| dead-lettered (must be 0) | ${highWatermarks[2]} |`,
        `| aggregates out of order, first deliveries (must be 0) | ${reordered.length} |`,
        `| left to do when the workload stopped: unpublished outbox rows and queued clean-ups / users the view has wrong | ${leftToDo} |`,
        `| convergence after the workload stopped (at most ${seconds(convergenceBoundMs)} s) | ${seconds(convergenceMs)} s |`,
        `| unexpected errors: 500s, crashes (must be 0) | ${unexpected.length} |`,
      ].join('\n'),
    );
    if (unexpected.length > 0) console.log(`unexpected errors (seed ${seed}):\n${unexpected.join('\n---\n')}`);

    expect(injected).toHaveLength(faults.length);
    expect(differences).toEqual([]);
    expect(lost).toEqual([]);
    expect(appliedTwice).toBe(0);
    expect(notApplied).toEqual([]);
    expect(highWatermarks[2]).toBe(0);
    expect(reordered).toEqual([]);
    expect(workload.players.length).toBeGreaterThan(20);
    // A 500 or a crash is a bug even under faults: a lost connection answers 503, a killed process
    // just disappears. The seed replays the run.
    expect({ seed, unexpectedErrors: unexpected }).toEqual({ seed, unexpectedErrors: [] });
    expect(convergenceMs).toBeLessThanOrEqual(convergenceBoundMs);
  }, 600_000);
});
