import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { Result } from 'autocannon';
import { BenchRow } from './bench-row';
import { call, load, signedUp } from './support/http';
import { freePort } from '../test/support/processes';
import { cpuSeconds } from './support/process-cpu';
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
    stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')),
  };
}

function rows(subject: string, baseline: boolean, result: Result, note?: string): BenchRow[] {
  return [
    {
      measure: 'http',
      subject: `${subject}: throughput`,
      value: Math.round(result.requests.average),
      unit: 'requests/s',
      baseline,
      note,
    },
    { measure: 'http', subject: `${subject}: p99`, value: result.latency.p99, unit: 'ms', baseline },
  ];
}

/**
 * http: PATCH /users/me (auth) and GET /groups/:id (group-management) at CONNECTIONS concurrent
 * connections; baseline: a bare node:http + pg server running the same statements.
 */
export async function benchHttp({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const seconds = quick ? 2 : 15;
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
    const cpuBefore = cpuSeconds(auth.pid);
    const patchApp = await load({
      url: auth.url,
      connections: CONNECTIONS,
      seconds,
      request: patch((n) => users[n % CONNECTIONS].token),
    });
    const cpuPerRequest = ((cpuSeconds(auth.pid) - cpuBefore) * 1000) / patchApp.requests.total;
    measured.patchCapacity = patchApp.requests.average;
    const patchRaw = await load({
      url: raw.url,
      connections: CONNECTIONS,
      seconds,
      request: patch((n) => users[n % CONNECTIONS].id),
    });
    const getApp = await load({ url: groups.url, connections: CONNECTIONS, seconds, request: get(users[0].token) });
    const getRaw = await load({ url: raw.url, connections: CONNECTIONS, seconds, request: get(users[0].id) });
    const ratio = (app: Result, base: Result) =>
      `${(app.requests.average / base.requests.average).toFixed(2)}× baseline`;
    return [
      ...rows('bare node:http + pg, the same statements as PATCH /users/me', true, patchRaw),
      ...rows(
        `auth PATCH /users/me, ${CONNECTIONS} connections`,
        false,
        patchApp,
        `${ratio(patchApp, patchRaw)}; auth process CPU ${cpuPerRequest.toFixed(2)} ms per request`,
      ),
      ...rows('bare node:http + pg, the same statements as GET /groups/:id', true, getRaw),
      ...rows(`group-management GET /groups/:id, ${CONNECTIONS} connections`, false, getApp, ratio(getApp, getRaw)),
    ];
  } finally {
    await raw.stop();
  }
}
