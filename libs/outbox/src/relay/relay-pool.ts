import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { poolOptions } from '@playball/platform/database';
import { relaySessionOptions } from '../sql/claim-batch';
import { RelayThreadSettings } from './relay-messages';

/**
 * The relay thread's own connections (claim, mark, prune): a bare node-postgres pool, as the
 * relay's statements are its own SQL. They run with the session settings the claim's plan depends
 * on (relaySessionOptions), set once per connection.
 */
export function relayPool(settings: Pick<RelayThreadSettings, 'relay' | 'poolSize' | 'statementTimeoutMs'>): Pool {
  const pool = new Pool({
    connectionString: settings.relay.databaseUrl,
    ...poolOptions(`outbox-relay:${settings.relay.service}`, {
      DATABASE_POOL_SIZE: settings.poolSize,
      DATABASE_STATEMENT_TIMEOUT_MS: settings.statementTimeoutMs,
      // Unnamed: the relay runs each statement once per batch of up to 5,000 rows, so planning
      // costs nothing per row, and a generic plan of the claim could lose its walk of the index.
      DATABASE_PREPARED_STATEMENTS: 0,
    }),
    ...relaySessionOptions,
  });
  // An idle connection the database ends (a restart, pg_terminate_backend) is reported here; the
  // pool drops it and connects anew for the next statement. Unlistened, it would end the thread.
  const logger = new Logger(`OutboxRelay(${settings.relay.service})`);
  pool.on('error', (error) => logger.warn(`an idle relay connection failed: ${error.message}`));
  return pool;
}
