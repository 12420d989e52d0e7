import { defaultRelayOptions } from '@playball/outbox';
import { relayPool } from '../../../libs/outbox/src/relay/relay-pool';
import { eventually } from '../../support/eventually';
import { createTestDatabase, TestDatabase } from '../../support/databases';

describe("the relay thread's connections", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
  });

  afterAll(async () => {
    await database.drop();
  });

  function pool(service: string, poolSize: number, statementTimeoutMs: number) {
    return relayPool({
      relay: { ...defaultRelayOptions, service, databaseUrl: database.url },
      poolSize,
      statementTimeoutMs,
    });
  }

  it('run with bitmap scans off (the plan claims depend on), the statement timeout and their own application name', async () => {
    const db = pool('widgets', 2, 4_321);
    try {
      // Two statements at once, so both of the pool's sessions are checked, not one twice.
      const sessions = await Promise.all(
        [1, 2].map(() =>
          db.query<{ bitmap: string; timeout: string; name: string; pid: number }>(
            `select current_setting('enable_bitmapscan') as bitmap, current_setting('statement_timeout') as timeout,
                    current_setting('application_name') as name, pg_backend_pid() as pid, pg_sleep(0.05)`,
          ),
        ),
      );
      expect(new Set(sessions.map(({ rows: [s] }) => s.pid)).size).toBe(2);
      for (const {
        rows: [session],
      } of sessions) {
        expect(session).toMatchObject({ bitmap: 'off', timeout: '4321ms', name: 'outbox-relay:widgets' });
      }
    } finally {
      await db.end();
    }
  });

  it('run their statements unnamed: the claim keeps the plan it gets with its own arguments', async () => {
    const db = pool('widgets', 1, 5_000);
    try {
      for (let n = 0; n < 3; n++) await db.query('select $1::int as n', [n]);
      const { rows } = await db.query('select name from pg_prepared_statements');
      expect(rows).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('outlive a connection the database ends while it idles: the pool reports it and connects anew', async () => {
    const db = pool('widgets', 1, 5_000);
    const admin = pool('widgets-admin', 1, 5_000);
    try {
      const {
        rows: [{ pid }],
      } = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
      await admin.query('select pg_terminate_backend($1)', [pid]);
      // The pool drops the ended connection; an 'error' nobody listened to would have ended the process.
      await eventually(() => expect(db.totalCount).toBe(0));
      const { rows } = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
      expect(rows[0].pid).not.toBe(pid);
    } finally {
      await Promise.all([db.end(), admin.end()]);
    }
  });
});
