/** observability: Prometheus metrics and /metrics, W3C trace context, and the background work a process runs. */
export * from './metrics';
export * from './metrics-server';
export * from './trace-context';
export * from './running';
export * from './logging';
export * from './tracing';
export * from './app-observability';
