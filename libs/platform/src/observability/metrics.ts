import { Counter, Gauge, register } from 'prom-client';

// Metrics live in the process-wide registry. Several app instances in one process (as in tests)
// share them, so a metric is created once and found again by name afterwards.

export function counter(name: string, help: string, labelNames: string[] = []): Counter {
  return (register.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, labelNames });
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge {
  return (register.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help, labelNames });
}
