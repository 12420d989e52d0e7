/** Seconds the work took, after a garbage collection so one measure does not pay for another's garbage. */
export async function timed(work: () => Promise<void>): Promise<number> {
  global.gc?.();
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}
