/**
 * Exponential backoff with "equal jitter": half the ceiling is fixed, half random, so retries
 * spread out (restarted instances do not retry in lockstep) yet never come back immediately.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** The same, counting attempts itself until reset after a success. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  next(): number {
    return backoffDelay(this.attempt++, this.initialMs, this.maxMs);
  }

  reset(): void {
    this.attempt = 0;
  }
}
