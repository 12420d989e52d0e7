import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { BenchRow } from './bench-row';
import { brokers, deleteTopics, kafka, sleep, uniqueSuffix } from './support/infra';
import { liveThreadsCpuSeconds } from './support/process-cpu';
import { system } from './support/system';

async function startIdleBaseline(databaseUrl: string, topic: string) {
  const child: ChildProcess = fork(join(__dirname, 'idle-process.ts'), {
    execArgv: ['--require', '@swc-node/register'],
    env: { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers.join(','), TOPIC: topic },
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', reject);
  });
  return { pid: child.pid!, stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')) };
}

/**
 * idle: each app's CPU while nothing happens (no request, no event), beside a bare process holding
 * the same kinds of connections and polls (idle-process.ts), all measured over the same seconds.
 * What a service costs the machine between bursts: kafkajs re-arming a 1 ms timer on every broker
 * connection kept the two apps at 11–12 % of a core until it was patched (docs/performance.md).
 */
export async function benchIdle({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  // After startup: compiling, joining the group and the first metadata requests are not idling.
  const settleMs = quick ? 3_000 : 10_000;
  const seconds = quick ? 4 : 20;
  const { auth, groups } = await system();
  const topic = `bench-idle-${uniqueSuffix()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const baseline = await startIdleBaseline(auth.database.url, topic);
  try {
    await sleep(settleMs);
    const pids = { baseline: baseline.pid, auth: auth.pid, groups: groups.pid };
    const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, liveThreadsCpuSeconds(pid)]));
    const startedAt = performance.now();
    await sleep(seconds * 1000);
    const wallSeconds = (performance.now() - startedAt) / 1000;
    // Milliseconds of CPU per second of wall time: 10 is 1 % of a core.
    const perSecond = (name: keyof typeof pids) =>
      ((liveThreadsCpuSeconds(pids[name]) - before[name]) * 1000) / wallSeconds;
    const bare = perSecond('baseline');
    const app = (name: 'auth' | 'groups', label: string): BenchRow => {
      const value = perSecond(name);
      return {
        measure: 'idle',
        subject: `${label}: CPU while idle`,
        value: Math.round(value * 10) / 10,
        unit: 'ms/s',
        baseline: false,
        note: `${(value / 10).toFixed(1)} % of a core, ${(value / Math.max(bare, 1)).toFixed(1)}× the bare process, over ${seconds} s`,
      };
    };
    return [
      {
        measure: 'idle',
        subject: 'a bare process idling: a kafkajs producer, a consumer in a group, a pg LISTEN and a poll a second',
        value: Math.round(bare * 10) / 10,
        unit: 'ms/s',
        baseline: true,
        note: `${(bare / 10).toFixed(1)} % of a core, over ${seconds} s`,
      },
      app('auth', 'auth'),
      app('groups', 'group-management'),
    ];
  } finally {
    await baseline.stop();
    await deleteTopics([topic]);
  }
}
