import { pgClientClass } from './prepared-statements';

/** The environment variables that size and bound a service's PostgreSQL pool. */
export interface PoolSettings {
  DATABASE_POOL_SIZE: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  /** Statement texts each connection prepares at most (StatementNames); 0 prepares none. */
  DATABASE_PREPARED_STATEMENTS: number;
}

export const defaultPoolSettings: PoolSettings = {
  DATABASE_POOL_SIZE: 10,
  DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
  DATABASE_PREPARED_STATEMENTS: 100,
};

/**
 * node-postgres pool options (TypeORM's `extra`). By default node-postgres waits without limit for a
 * connection and for a statement, so a database that stops answering (half-open connection, lock
 * held by a stuck session) would hang requests, the consumer's retry loop and shutdown. With these
 * bounds the wait ends in an error that `isTransient` recognizes (SQLSTATE 57014 or a connect
 * timeout): a request answers 503 and the consumer retries.
 */
export function poolOptions(applicationName: string, settings: PoolSettings = defaultPoolSettings) {
  return {
    max: settings.DATABASE_POOL_SIZE,
    application_name: applicationName,
    // Also bounds the wait for a free pooled connection. 10 s stays below the 30 s a client or
    // load balancer commonly waits, so the caller gets our 503 rather than its own timeout.
    connectionTimeoutMillis: 10_000,
    // 0 turns it off, e.g. for a run that applies a migration known to take longer.
    statement_timeout: settings.DATABASE_STATEMENT_TIMEOUT_MS,
    Client: pgClientClass(settings.DATABASE_PREPARED_STATEMENTS),
  };
}
