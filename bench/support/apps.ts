import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appNodeFlags, freePort } from '../../test/support/processes';
import { brokers, BenchDatabase, createDatabase, uniqueSuffix } from './infra';
import { until } from '../../test/support/eventually';

const root = join(__dirname, '..', '..');

/** As production runs it (`npm run build`); else the sources, compiled on load (more memory). */
function entry(name: string): string[] {
  const built = join(root, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  return existsSync(built) ? [built] : ['--require', '@swc-node/register', join(root, 'apps', name, 'src', 'main.ts')];
}

/** One app as its own process, with a database of its own. */
export interface BenchApp {
  name: string;
  url: string;
  database: BenchDatabase;
  pid: number;
  /** Peak resident memory over the whole run so far, MiB. */
  peakRssMiB(): number;
  /**
   * Starts a new peak (VmHWM) from the memory resident now; returns the peak since the last restart
   * and what is resident now (VmRSS), from which the new peak starts. peakRssMiB still covers the
   * whole run.
   */
  restartPeakRss(): { peak: number; resident: number };
  stop(): Promise<void>;
}

async function startApp(name: 'auth' | 'group-management', env: Record<string, string>): Promise<BenchApp> {
  const database = await createDatabase(name.replace('-', '_'));
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: each app writes a V8 CPU profile there when it exits (its relay thread one of its own), for the bottlenecks docs/performance.md names.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...appNodeFlags, ...entry(name)], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let earlierPeak = 0;
  let status = 'not answering';
  await until(
    () => `${name} healthy (${status})`,
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode})`);
      status = await fetch(`${url}/health`)
        .then((r) => r.json() as Promise<{ status: string }>)
        .then((b) => b.status)
        .catch(() => 'not answering');
      return status === 'up' ? true : undefined;
    },
    120_000,
    250,
  );
  return {
    name,
    url,
    database,
    pid: child.pid!,
    peakRssMiB: () => Math.max(earlierPeak, memoryMiB(child.pid!, 'VmHWM')),
    restartPeakRss: () => {
      const peak = memoryMiB(child.pid!, 'VmHWM');
      earlierPeak = Math.max(earlierPeak, peak);
      // 5: reset the peak resident set size to the current one (proc(5), since Linux 4.0).
      writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
      return { peak, resident: memoryMiB(child.pid!, 'VmRSS') };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await database.drop();
    },
  };
}

/**
 * A process's resident memory now (VmRSS) or its peak since it started or its peak was last reset
 * (VmHWM), MiB.
 */
function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

export interface BenchSystem {
  auth: BenchApp;
  groups: BenchApp;
  prefix: string;
  stop(): Promise<void>;
}

/** auth and group-management on their own topics, as `npm start` runs them. */
export async function startSystem(): Promise<BenchSystem> {
  const prefix = `bench-${uniqueSuffix()}.`;
  const common = { KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: prefix };
  const auth = await startApp('auth', {
    ...common,
    JWT_KEYS_DIR: mkdtempSync(join(tmpdir(), 'playball-bench-keys-')),
    AUTH_THROTTLE_LIMIT: '100000000',
    AUTH_THROTTLE_ACCOUNT_LIMIT: '100000000',
  });
  const groups = await startApp('group-management', {
    ...common,
    KAFKA_CONSUMER_GROUP: `bench-${uniqueSuffix()}`,
    AUTH_JWKS_URL: `${auth.url}/.well-known/jwks.json`,
    WRITE_THROTTLE_LIMIT: '100000000',
    WRITE_THROTTLE_ACCOUNT_LIMIT: '100000000',
  });
  return {
    auth,
    groups,
    prefix,
    async stop() {
      await groups.stop();
      await auth.stop();
    },
  };
}
