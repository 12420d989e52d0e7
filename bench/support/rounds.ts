export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Rounds of a measure and its baseline in a full run: an even number, so each order (the measure
 * first, the baseline first) comes equally often and a steady drift of the machine's speed tilts
 * half the ratios up and half down. With three, two rounds shared an order and the median was one
 * of theirs.
 */
export const ROUNDS = 4;

/**
 * A measure and its baseline in alternating rounds. This shared 2-core machine's speed drifts
 * between minutes: the PATCH baseline, run alone, gave 133 to 299 requests/s within an hour, and
 * the relay's 24,475 to 32,934 records/s. Each round's ratio compares neighbours in time, and the
 * median of those ratios is the figure.
 */
export async function alternate<T>(
  rounds: number,
  measure: () => Promise<T>,
  baseline: () => Promise<T>,
  rate: (result: T) => number,
): Promise<{ measured: T[]; baselines: T[]; ratio: number }> {
  const measured: T[] = [];
  const baselines: T[] = [];
  for (let round = 0; round < rounds; round++) {
    // The measure first in even rounds, the baseline first in odd ones: no side goes first in every
    // round (see ROUNDS).
    if (round % 2 === 0) {
      measured.push(await measure());
      baselines.push(await baseline());
    } else {
      baselines.push(await baseline());
      measured.push(await measure());
    }
  }
  const ratio = median(measured.map((m, i) => rate(m) / rate(baselines[i])));
  return { measured, baselines, ratio };
}
