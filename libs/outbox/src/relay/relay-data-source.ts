import { DataSource } from 'typeorm';
import { poolOptions, QueryLogger } from '@playball/platform/database';
import { relaySessionOptions } from '../sql/claim-batch';
import { RelayThreadSettings } from './relay-messages';

/**
 * The relay thread's own connections (claim, mark, prune), not initialized. They run with the
 * session settings the claim's plan depends on (relaySessionOptions), set once per connection.
 */
export function relayDataSource(settings: Pick<RelayThreadSettings, 'relay' | 'poolSize' | 'statementTimeoutMs'>) {
  return new DataSource({
    type: 'postgres',
    url: settings.relay.databaseUrl,
    logger: new QueryLogger(),
    extra: {
      ...poolOptions(`outbox-relay:${settings.relay.service}`, {
        DATABASE_POOL_SIZE: settings.poolSize,
        DATABASE_STATEMENT_TIMEOUT_MS: settings.statementTimeoutMs,
      }),
      ...relaySessionOptions,
    },
  });
}
