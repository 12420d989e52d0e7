import { BenchRow } from './bench-row';
import { AuthWriter } from '../test/support/auth-writer';
import { load, signedUp } from './support/http';
import { LagTracker } from './support/lag';
import { runAtRate } from './support/rate';
import { system } from './support/system';
import { watchTopic } from './support/watchers';
import { measured } from './http.bench';

/** Renames per second whose lag is measured: few enough to add nothing to the load. */
const PROBE_RATE = 50;
const PROBE_USERS = 50;
const CONNECTIONS = 16;

async function probe(writer: AuthWriter, users: string[], seconds: number, tracker: LagTracker): Promise<void> {
  const started = performance.now();
  tracker.setWindow(started, started + seconds * 1000);
  await runAtRate(PROBE_RATE, seconds, 8, async (i) => {
    const id = users[i % users.length];
    tracker.committed(id, await writer.rename(id, `Probe ${i}`));
  });
  await tracker.drain(10_000);
}

function row(subject: string, baseline: boolean, tracker: LagTracker, note = ''): BenchRow {
  const s = tracker.summary();
  return {
    measure: 'mixed',
    subject,
    value: s.p99,
    unit: 'ms p99',
    baseline,
    note: `p50 ${s.p50} ms, max ${s.max} ms, ${s.count} events${s.unseen ? `, ${s.unseen} not seen` : ''}${note}`,
  };
}

/**
 * mixed: the relay's lag (commit → record on the topic, as a consumer receives it) while auth serves
 * PATCH /users/me at 80 % of its measured capacity; baseline: the same probe with auth idle.
 */
export async function benchMixed({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const seconds = quick ? 3 : 20;
  const { auth, prefix } = await system();
  const writer = await AuthWriter.open(auth.database.url, 8);
  let tracker = new LagTracker();
  const stopWatching = await watchTopic(prefix, (id, version) => tracker.seen(id, version));
  try {
    const probeUsers = await writer.createUsers(PROBE_USERS);
    await Promise.all(probeUsers.slice(0, 8).map((id) => writer.rename(id, 'Warmed up')));
    const users = await signedUp(auth.url, CONNECTIONS);
    const patch = (n: number) => ({
      method: 'PATCH' as const,
      path: '/users/me',
      headers: { authorization: `Bearer ${users[n % CONNECTIONS].token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: `Mixed ${n}` }),
    });
    const capacity =
      measured.patchCapacity ??
      (await load({ url: auth.url, connections: CONNECTIONS, seconds: 3, request: patch })).requests.average;
    await probe(writer, probeUsers, seconds, tracker);
    const idle = tracker;
    tracker = new LagTracker();
    const rate = Math.round(capacity * 0.8);
    const [served] = await Promise.all([
      load({ url: auth.url, connections: CONNECTIONS, seconds, overallRate: rate, request: patch }),
      probe(writer, probeUsers, seconds, tracker),
    ]);
    return [
      row('relay lag, commit → record on the topic, auth idle', true, idle),
      row(
        `relay lag, commit → record on the topic, auth serving PATCH /users/me at 80 % of capacity (${rate}/s)`,
        false,
        tracker,
        `; auth answered ${Math.round(served.requests.average)}/s, p99 ${served.latency.p99} ms`,
      ),
    ];
  } finally {
    await stopWatching();
    await writer.close();
  }
}
