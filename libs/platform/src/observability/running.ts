/**
 * What background work (relays, consumers) this process is running. Lets a test fail when it leaves
 * a relay or consumer behind, which would otherwise leak into the next test as flaky noise.
 */
export interface RunningWork {
  readonly name: string;
  readonly startedAt: Date;
}

const running = new Set<RunningWork>();

/** Records `name` as running; call the returned function when it has stopped. */
export function trackRunning(name: string): () => void {
  const work: RunningWork = { name, startedAt: new Date() };
  running.add(work);
  return () => running.delete(work);
}

export function runningWork(): RunningWork[] {
  return [...running];
}
