/** observability: Prometheus metrics and /metrics, W3C trace context, and the background work a process runs. */
export * from './metrics';
export * from './metrics.controller';
export * from './trace-context';
export * from './running';
