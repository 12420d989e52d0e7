/** config: reads and validates a service's environment at boot, naming the variable at fault. */
export * from './parse-env';
export * from './cpu-budget';
