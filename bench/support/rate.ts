import { sleep } from './infra';

export interface RateResult {
  issued: number;
  seconds: number;
  /** Operations started per second, which falls short of the target when the system cannot keep up. */
  achieved: number;
}

/**
 * Starts `op` at a fixed rate for `seconds`, never more than `maxInFlight` at once (an open-loop
 * generator with a bound: when the system falls behind, the achieved rate says so).
 */
export async function runAtRate(
  rate: number,
  seconds: number,
  maxInFlight: number,
  op: (i: number) => Promise<void>,
): Promise<RateResult> {
  let issued = 0;
  let inFlight = 0;
  let failure: unknown;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end && failure === undefined) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (issued < due && inFlight < maxInFlight) {
      inFlight++;
      op(issued++)
        .catch((error: unknown) => (failure = error))
        .finally(() => inFlight--);
    }
    await sleep(2);
  }
  while (inFlight > 0) await sleep(5);
  if (failure !== undefined) throw failure;
  const elapsed = (performance.now() - started) / 1000;
  return { issued, seconds: elapsed, achieved: issued / elapsed };
}
