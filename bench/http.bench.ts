import { ChildProcess, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Result } from 'autocannon';
import { BenchRow } from './bench-row';
import { call, load, signedUp } from './support/http';
import { freePort } from '../test/support/processes';
import { cpuSeconds, machineBusySeconds, mainThreadCpuSeconds } from './support/process-cpu';
import { alternate, median, ROUNDS } from './support/rounds';
import { system } from './support/system';

/** Connections (and users): enough to keep auth's 10 database connections busy. */
const CONNECTIONS = 16;

/** Requests/s auth answered PATCH /users/me at with CONNECTIONS; the mixed measure loads 80 % of it. */
export const measured: { patchCapacity?: number } = {};

async function startRawServer(authDatabaseUrl: string, groupsDatabaseUrl: string) {
  const port = await freePort();
  const child: ChildProcess = fork(join(__dirname, 'raw-server.ts'), {
    execArgv: ['--require', '@swc-node/register'],
    env: {
      ...process.env,
      AUTH_DATABASE_URL: authDatabaseUrl,
      GROUPS_DATABASE_URL: groupsDatabaseUrl,
      PORT: String(port),
    },
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')),
  };
}

/**
 * The CPU a server process spends per request over the loads it serves, how much of it its main
 * thread (the event loop's) spent, and that thread's CPU time over the wall time ("busy"); beside
 * the baseline's, these say how much of the gap is the framework's own work. "Busy" is not event
 * loop utilisation: on a full machine the thread may also have waited for a core. And the whole
 * machine's CPU per request and load (process-cpu.ts, machineBusySeconds).
 */
function cpuMeter(pid: number) {
  let processSeconds = 0;
  let loopSeconds = 0;
  let requests = 0;
  let wallSeconds = 0;
  let machineSeconds = 0;
  return {
    async during(run: () => Promise<Result>): Promise<Result> {
      const processBefore = cpuSeconds(pid);
      const loopBefore = mainThreadCpuSeconds(pid);
      const machineBefore = machineBusySeconds();
      const startedAt = performance.now();
      const result = await run();
      wallSeconds += (performance.now() - startedAt) / 1000;
      machineSeconds += machineBusySeconds() - machineBefore;
      processSeconds += cpuSeconds(pid) - processBefore;
      loopSeconds += mainThreadCpuSeconds(pid) - loopBefore;
      requests += result.requests.total;
      return result;
    },
    perRequest: () =>
      `${((processSeconds * 1000) / requests).toFixed(2)} ms per request (its event loop ` +
      `${((loopSeconds * 1000) / requests).toFixed(2)} ms, busy ${Math.round((100 * loopSeconds) / wallSeconds)} % of the time); ` +
      `the machine ${((machineSeconds * 1000) / requests).toFixed(2)} ms per request, ` +
      `${Math.round((100 * machineSeconds) / wallSeconds / cpus().length)} % of its cores`,
  };
}

/** One side of the comparison over its rounds: medians, which one slow minute cannot move. */
interface Side {
  throughput: number;
  p99: number;
}

function side(results: Result[]): Side {
  return {
    throughput: median(results.map((r) => r.requests.average)),
    p99: median(results.map((r) => r.latency.p99)),
  };
}

/** The app and its baseline in alternating rounds (alternate), each side summed up by its medians. */
async function alternateSides(rounds: number, app: () => Promise<Result>, baseline: () => Promise<Result>) {
  const { measured, baselines, ratio } = await alternate(rounds, app, baseline, (r) => r.requests.average);
  return { app: side(measured), baseline: side(baselines), ratio };
}

function rows(subject: string, baseline: boolean, result: Side, note?: string): BenchRow[] {
  return [
    {
      measure: 'http',
      subject: `${subject}: throughput`,
      value: Math.round(result.throughput),
      unit: 'requests/s',
      baseline,
      note,
    },
    { measure: 'http', subject: `${subject}: p99`, value: result.p99, unit: 'ms', baseline },
  ];
}

/**
 * http: PATCH /users/me (auth) and GET /groups/:id (group-management) at CONNECTIONS concurrent
 * connections; baseline: a bare node:http + pg server running the same statements.
 */
export async function benchHttp({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  // Full: ROUNDS rounds of 6 s a side; quick: one round of 2 s.
  const rounds = quick ? 1 : ROUNDS;
  const seconds = quick ? 2 : 6;
  const { auth, groups } = await system();
  const users = await signedUp(auth.url, CONNECTIONS);
  const group = (await call(groups.url, 'POST', '/groups', { name: 'Bench' }, users[0].token)) as { id: string };
  const raw = await startRawServer(auth.database.url, groups.database.url);
  try {
    const patch = (bearer: (n: number) => string) => (n: number) => ({
      method: 'PATCH' as const,
      path: '/users/me',
      headers: { authorization: `Bearer ${bearer(n)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: `Http ${n}` }),
    });
    const get = (bearer: string) => () => ({
      method: 'GET' as const,
      path: `/groups/${group.id}`,
      headers: { authorization: `Bearer ${bearer}` },
    });
    const appCpu = cpuMeter(auth.pid);
    const rawCpu = cpuMeter(raw.pid);
    const patchApp = () =>
      appCpu.during(() =>
        load({ url: auth.url, connections: CONNECTIONS, seconds, request: patch((n) => users[n % CONNECTIONS].token) }),
      );
    const patchRaw = () =>
      rawCpu.during(() =>
        load({ url: raw.url, connections: CONNECTIONS, seconds, request: patch((n) => users[n % CONNECTIONS].id) }),
      );
    const patches = await alternateSides(rounds, patchApp, patchRaw);
    measured.patchCapacity = patches.app.throughput;
    const groupsCpu = cpuMeter(groups.pid);
    const rawGetCpu = cpuMeter(raw.pid);
    const gets = await alternateSides(
      rounds,
      () =>
        groupsCpu.during(() =>
          load({ url: groups.url, connections: CONNECTIONS, seconds, request: get(users[0].token) }),
        ),
      () =>
        rawGetCpu.during(() => load({ url: raw.url, connections: CONNECTIONS, seconds, request: get(users[0].id) })),
    );
    const ratio = (ratio: number) => `${ratio.toFixed(2)}× baseline (median of ${rounds} alternating rounds)`;
    return [
      ...rows(
        'bare node:http + pg, the same statements as PATCH /users/me',
        true,
        patches.baseline,
        `process CPU ${rawCpu.perRequest()}`,
      ),
      ...rows(
        `auth PATCH /users/me, ${CONNECTIONS} connections`,
        false,
        patches.app,
        `${ratio(patches.ratio)}; auth process CPU ${appCpu.perRequest()}`,
      ),
      ...rows(
        'bare node:http + pg, the same statements as GET /groups/:id',
        true,
        gets.baseline,
        `process CPU ${rawGetCpu.perRequest()}`,
      ),
      ...rows(
        `group-management GET /groups/:id, ${CONNECTIONS} connections`,
        false,
        gets.app,
        `${ratio(gets.ratio)}; group-management process CPU ${groupsCpu.perRequest()}`,
      ),
    ];
  } finally {
    await raw.stop();
  }
}
