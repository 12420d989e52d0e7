import { build, Histogram } from 'hdr-histogram-js';

/** Latencies in microseconds, 1 µs to 10 min, 3 significant digits. */
export function latencyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** In milliseconds. */
export function percentiles(histogram: Histogram): Percentiles {
  const ms = (p: number) => Math.round(histogram.getValueAtPercentile(p) / 100) / 10;
  return {
    count: histogram.totalCount,
    p50: ms(50),
    p95: ms(95),
    p99: ms(99),
    max: Math.round(histogram.maxValue / 100) / 10,
  };
}
