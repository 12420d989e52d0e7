import { defaultRelayOptions } from '@playball/outbox';
import { relayDataSource } from '../../../libs/outbox/src/relay/relay-data-source';
import { createTestDatabase, TestDatabase } from '../../support/databases';

describe("the relay thread's connections", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('run with bitmap scans off (the plan claims depend on), the statement timeout and their own application name', async () => {
    const db = await relayDataSource({
      relay: { ...defaultRelayOptions, service: 'widgets', databaseUrl: database.url },
      poolSize: 2,
      statementTimeoutMs: 4_321,
    }).initialize();
    try {
      // Two connections at once, so both of the pool's sessions are checked, not one twice.
      const sessions = await Promise.all(
        [1, 2].map(() =>
          db.transaction(
            (manager) =>
              manager.query(
                `select current_setting('enable_bitmapscan') as bitmap, current_setting('statement_timeout') as timeout,
                        current_setting('application_name') as name, pg_backend_pid() as pid, pg_sleep(0.05)`,
              ) as Promise<{ bitmap: string; timeout: string; name: string; pid: number }[]>,
          ),
        ),
      );
      expect(new Set(sessions.map(([s]) => s.pid)).size).toBe(2);
      for (const [session] of sessions) {
        expect(session).toMatchObject({ bitmap: 'off', timeout: '4321ms', name: 'outbox-relay:widgets' });
      }
    } finally {
      await db.destroy();
    }
  });
});
