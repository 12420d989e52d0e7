import { Histogram } from 'hdr-histogram-js';
import { latencyHistogram, percentiles, Percentiles } from './histogram';
import { sleep } from './infra';

/**
 * Lag from a commit (when the writer's COMMIT returned) to the moment the same user version is
 * seen downstream. A version seen before its commit returned (both in flight in one tick) counts 0.
 */
export class LagTracker {
  private readonly committedAt = new Map<string, number>();
  private readonly seenAt = new Map<string, number>();
  readonly all: Histogram = latencyHistogram();
  /** Lags of the first and the last quarter of the commits, to tell a bounded lag from a growing one. */
  private readonly quarters = { first: latencyHistogram(), last: latencyHistogram() };
  private window: { from: number; to: number } | undefined;

  /** Commits in [from, to] (performance.now()) fall in the first or last quarter of the window. */
  setWindow(from: number, to: number): void {
    this.window = { from, to };
  }

  committed(userId: string, version: number): void {
    const key = `${userId} ${version}`;
    const now = performance.now();
    const seen = this.seenAt.get(key);
    if (seen === undefined) this.committedAt.set(key, now);
    else this.record(now, now, key);
  }

  seen = (userId: string, version: number): void => {
    const key = `${userId} ${version}`;
    const now = performance.now();
    const committed = this.committedAt.get(key);
    if (committed === undefined) this.seenAt.set(key, now);
    else this.record(committed, now, key);
  };

  get pending(): number {
    return this.committedAt.size;
  }

  /** Waits until every commit was seen, or the deadline passes. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.pending > 0 && performance.now() < deadline) await sleep(20);
  }

  summary(): Percentiles & { unseen: number; firstQuarterP99: number; lastQuarterP99: number } {
    return {
      ...percentiles(this.all),
      unseen: this.pending,
      firstQuarterP99: percentiles(this.quarters.first).p99,
      lastQuarterP99: percentiles(this.quarters.last).p99,
    };
  }

  private record(committed: number, seen: number, key: string): void {
    this.committedAt.delete(key);
    this.seenAt.delete(key);
    const micros = Math.max(1, Math.round((seen - committed) * 1000));
    this.all.recordValue(micros);
    if (!this.window) return;
    const quarter = (this.window.to - this.window.from) / 4;
    if (committed < this.window.from + quarter) this.quarters.first.recordValue(micros);
    else if (committed > this.window.to - quarter) this.quarters.last.recordValue(micros);
  }
}
