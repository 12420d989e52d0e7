import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually';
import { repoRoot } from './infrastructure';

/** The V8 flags every way of running the apps passes: npm start, the Dockerfile, the tests, the bench. */
export const appNodeFlags = JSON.parse(readFileSync(join(repoRoot, 'scripts/app-node-flags.json'), 'utf8')) as string[];

export type AppName = 'auth' | 'group-management';

/** Builds both apps and the ops CLI as production does (`npm run build`, which lists them), once per test run. */
export function buildApps(): void {
  execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}

export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/**
 * `count` ports free now and different from each other: every one is held until all are found.
 * Taken one at a time, the kernel may hand the port it just freed out again, and an app given it
 * as both PORT and METRICS_PORT refused to start (seen once in CI).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Where every app process of a test run writes its output, for reading after a failure. */
export const appLogDir = join(repoRoot, '.infra', 'test-logs');

/** An app running as its own process from the built output, as in production. */
export class AppProcess {
  private child: ChildProcess | undefined;
  private output: string[] = [];
  private healthy = false;
  private stopping = false;
  /** Exits nobody asked for: an uncaught exception or unhandled rejection ends a Node process. */
  readonly crashes: string[] = [];
  /** Its whole output, across restarts: the last lines alone rarely show a 500's cause. */
  readonly logFile: string;

  constructor(
    readonly name: AppName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    mkdirSync(appLogDir, { recursive: true });
    this.logFile = join(appLogDir, `${name}-${port}.log`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `/metrics`, on the listener of its own that METRICS_PORT names. */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.env.METRICS_PORT}/metrics`;
  }

  /** Started and answering /health: what a load balancer would route to. */
  get ready(): boolean {
    return this.healthy && this.running;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the process and resolves once its /health says every check is up (the consumer in its
   * group included), or with `until: 'answering'` once it answers at all (a dependency may be down
   * on purpose).
   */
  async start({ until = 'healthy' }: { until?: 'healthy' | 'answering' } = {}): Promise<this> {
    const main = join(repoRoot, 'dist/apps', this.name, 'apps', this.name, 'src/main.js');
    const child = spawn(process.execPath, [...appNodeFlags, main], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.stopping = false;
    child.once('exit', (code, signal) => {
      if (!this.stopping) this.crashes.push(`${this.name} on port ${this.port} exited by itself (${signal ?? code})`);
    });
    const keep = (chunk: Buffer) => {
      appendFileSync(this.logFile, chunk);
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await this.whenHealthy(until);
    return this;
  }

  /** Resolves once /health says every check is up, or with `until: 'answering'` once it answers at all. */
  async whenHealthy(until: 'healthy' | 'answering' = 'healthy'): Promise<void> {
    const child = this.child;
    await eventually(async () => {
      if (child?.exitCode !== null) throw new Error(`${this.name} exited (${child?.exitCode}):\n${this.logs()}`);
      const response = await fetch(`${this.url}/health`);
      const { status } = (await response.json()) as { status: string };
      if (until === 'healthy' && status !== 'up') throw new Error(`${this.name} /health says ${status}`);
    }, 60_000).catch((error: Error) => {
      throw new Error(`${this.name} did not become ${until}: ${error.message}\n${this.logs()}`);
    });
    this.healthy = until === 'healthy';
  }

  /** SIGTERM (a clean shutdown) or SIGKILL (a crash); resolves when the process is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    this.healthy = false;
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  logs(): string {
    return `${this.output.join('').split('\n').slice(-60).join('\n')}\n(the whole output: ${this.logFile})`;
  }
}
