/** Something that became ready to handle at `readyAt` and was handled at `doneAt` (ms). */
export interface Handled {
  readyAt: number;
  doneAt: number;
}

export interface Stall {
  ms: number;
  /** When the stall ended: the first completion after it. */
  endedAt: number;
}

/**
 * The longest time nothing was handled while something was waiting: between two consecutive
 * completions, counted from when the earliest still-waiting item became ready (an idle system,
 * with nothing waiting, has not stalled).
 */
export function longestStall(items: Handled[]): Stall {
  const done = [...items].sort((a, b) => a.doneAt - b.doneAt);
  // Earliest readyAt among the items done at or after each position.
  const earliestWaiting = new Array<number>(done.length);
  for (let i = done.length - 1; i >= 0; i--) {
    earliestWaiting[i] = Math.min(done[i].readyAt, earliestWaiting[i + 1] ?? Infinity);
  }
  let longest: Stall = { ms: 0, endedAt: done[0]?.doneAt ?? 0 };
  for (let i = 1; i < done.length; i++) {
    const ms = done[i].doneAt - Math.max(done[i - 1].doneAt, earliestWaiting[i]);
    if (ms > longest.ms) longest = { ms, endedAt: done[i].doneAt };
  }
  return longest;
}
