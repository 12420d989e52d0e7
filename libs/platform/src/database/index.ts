/** database: bounds of the PostgreSQL pool and the logging of slow or failed queries. */
export * from './pool-options';
export * from './query-logger';
export * from './prune-older-than';
export * from './sql';
export * from './prepared-statements';
