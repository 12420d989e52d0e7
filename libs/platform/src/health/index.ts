/** health: the /health endpoint and its checks (database, Kafka). */
export * from './health';
export * from './database.check';
export * from './kafka.check';
export * from './health-checks.provider';
