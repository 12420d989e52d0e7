/**
 * The highest rate of answered operations over any `windowMs` (sliding by answer), per second: what
 * the system sustained under load, not a one-second spike.
 */
export function peakRate(answeredAt: number[], windowMs: number): number {
  const times = [...answeredAt].sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] > windowMs) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return (peak * 1000) / windowMs;
}
