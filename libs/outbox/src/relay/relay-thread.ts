import { Logger } from '@nestjs/common';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { tracingEnabled, trackRunning } from '@playball/platform/observability';
import { RelayCommand, RelayReport, RelayThreadSettings } from './relay-messages';
import { metricsObserver, RelayObserver } from './relay-observer';

/** A relay thread that ends unexpectedly is started again after this pause. */
const RESTART_DELAY_MS = 1_000;
/** How long start() waits for the thread to load and run its relay before it stops waiting. */
const READY_TIMEOUT_MS = 30_000;
/**
 * How long stop() waits for the thread to finish its batch in flight. A publish to a broker that
 * accepts connections but never answers waits 10 s per attempt, four attempts (kafkaClientConfig):
 * past the 30 s an orchestrator commonly gives a process after SIGTERM (Kubernetes' default). Past
 * this, the thread is ended, and its batch, claimed but never marked, is published again by the next
 * leader (consumers dedupe by event id).
 */
const STOP_TIMEOUT_MS = 10_000;

/**
 * Runs the OutboxRelay on a worker thread of its own, so HTTP work on the main event loop cannot
 * delay publishing. On the main thread each step of a publish (the NOTIFY, the claim's answer, the
 * broker's acknowledgement, the mark) waited its turn behind every HTTP request ready before it:
 * with auth near its capacity (300 PATCH /users/me per second) records reached the topic 3.6 s late
 * at p50. A thread keeps the main thread's 2.5 ms of CPU per request out of the relay's way; the
 * bench's `mixed` measure records the lag it leaves (docs/performance.md). The thread has its own
 * database pool, Kafka client and logger; the main thread keeps /metrics and the tracer (the thread
 * reports what it published, and when).
 */
export class RelayThread {
  private readonly logger: Logger;
  private readonly observer: RelayObserver;
  private worker: Worker | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private untrack: (() => void) | undefined;
  private leader = false;
  private whenReady: (() => void) | undefined;

  constructor(private readonly settings: RelayThreadSettings) {
    this.logger = new Logger(`OutboxRelay(${settings.relay.service})`);
    this.observer = metricsObserver(settings.relay.service);
  }

  /**
   * Resolves once the thread has loaded and its relay runs (leading or standing by), so an app is
   * not reported up before its relay is; after READY_TIMEOUT_MS it stops waiting (the thread goes on).
   */
  async start(): Promise<void> {
    if (this.worker) return;
    this.stopping = false;
    this.untrack ??= trackRunning(`outbox relay thread (${this.settings.relay.service})`);
    const ready = new Promise<void>((resolve) => (this.whenReady = resolve));
    this.spawn();
    const timer = setTimeout(() => {
      this.logger.warn(`the relay thread is not running after ${READY_TIMEOUT_MS} ms; not waiting for it`);
      this.ready();
    }, READY_TIMEOUT_MS);
    await ready;
    clearTimeout(timer);
  }

  /**
   * Asks the thread to finish its batch in flight and release leadership; resolves when it has
   * exited, or ends it after `stopTimeoutMs` (STOP_TIMEOUT_MS).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      this.send({ kind: 'stop' });
      const timeoutMs = this.settings.stopTimeoutMs ?? STOP_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.logger.warn(`the relay thread did not stop within ${timeoutMs} ms; ending it`);
        void worker.terminate();
      }, timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    this.untrack?.();
    this.untrack = undefined;
  }

  /** Whether the thread holds the leader lock, as it last reported (at once when it takes or loses it). */
  get isLeader(): boolean {
    return this.leader;
  }

  private spawn(): void {
    // Whether tracing is on now (it starts with the app, before the relay): the thread reports spans then.
    const settings = { ...this.settings, relay: { ...this.settings.relay, traceEvents: tracingEnabled() } };
    const worker = new Worker(workerEntry(), { workerData: settings, execArgv: workerExecArgv() });
    worker.on('message', (report: RelayReport) => this.receive(report));
    worker.on('error', (error) => this.logger.error(`the relay thread failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      this.worker = undefined;
      this.ready();
      this.leader = false;
      this.observer.leadership(false);
      if (this.stopping) return;
      this.logger.error(`the relay thread exited (code ${code}); starting another in ${RESTART_DELAY_MS} ms`);
      this.restartTimer = setTimeout(() => this.spawn(), RESTART_DELAY_MS);
    });
    this.worker = worker;
  }

  private receive(report: RelayReport): void {
    switch (report.kind) {
      case 'published':
        return this.observer.published(report.count);
      case 'failed':
        return this.observer.failed();
      case 'backlog':
        return this.observer.backlog(report.unpublished);
      case 'leadership':
        this.leader = report.leader;
        return this.observer.leadership(report.leader);
      case 'batch':
        return this.observer.batchPublished(report.batch);
      case 'ready':
        return this.ready();
      case 'stopped':
        return;
    }
  }

  private ready(): void {
    this.whenReady?.();
    this.whenReady = undefined;
  }

  private send(command: RelayCommand): void {
    this.worker?.postMessage(command);
  }
}

/** The compiled worker beside this file; under ts sources (tests, bench) the .ts one. */
function workerEntry(): string {
  return join(__dirname, `relay-worker${extname(__filename)}`);
}

/**
 * A TypeScript entry needs the same on-the-fly compiler the bench uses; compiled JS needs nothing.
 * The app's CPU-profiling flags (`--cpu-prof`, `--cpu-prof-dir`, `--cpu-prof-interval`) reach the
 * thread too, so a profiled app profiles its relay as well (a file of its own, named by thread id):
 * the relay's share was invisible to the app's profiles. `--cpu-prof-name` is left out, as two
 * threads would write one file.
 */
export function workerExecArgv(appExecArgv: string[] = process.execArgv): string[] {
  const compiler = extname(__filename) === '.ts' ? ['--require', '@swc-node/register'] : [];
  const profiling = appExecArgv.flatMap((flag, i) => {
    if (flag === '--cpu-prof' || /^--cpu-prof-(dir|interval)=/.test(flag)) return [flag];
    // Given apart from its value (`--cpu-prof-dir /tmp/p`): the value comes along.
    return /^--cpu-prof-(dir|interval)$/.test(flag) ? [flag, appExecArgv[i + 1]] : [];
  });
  return [...compiler, ...profiling];
}
