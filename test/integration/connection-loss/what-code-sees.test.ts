import { DataSource, EntityManager } from 'typeorm';
import { isTransient } from '@playball/platform/retry';
import { authDataSourceOptions } from '../../../apps/auth/src/database/data-source';
import { User } from '../../../apps/auth/src/users/user.entity';
import { createTestDatabase, terminateConnections, TestDatabase } from '../../support/databases';
import { eventually } from '../../support/eventually';

/** What a failure looks like to a test's assertion: its name shows in a failure message. */
function classified(failure: unknown) {
  return { name: (failure as Error).name, message: (failure as Error).message, transient: isTransient(failure) };
}

/**
 * The same lost connection surfaces differently depending on what the code does next (TypeORM
 * releases the query runner whose connection errored, then refuses it in several ways), so each
 * way is provoked for real here, on this file's own database.
 */
describe('a PostgreSQL connection lost under a transaction', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('auth');
    db = await new DataSource(authDataSourceOptions(database.url)).initialize();
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  /** Runs `next` inside a transaction whose connection was terminated and released; the failure. */
  async function failureAfterLoss(next: (manager: EntityManager) => Promise<unknown>): Promise<unknown> {
    try {
      await db.transaction(async (manager) => {
        await manager.query('select 1'); // the transaction now holds a connection
        await terminateConnections([database.name]);
        await eventually(() => expect(manager.queryRunner?.isReleased).toBe(true));
        await next(manager);
      });
    } catch (error) {
      return error;
    }
    throw new Error('the transaction committed although its connection was gone');
  }

  it.each<[string, (manager: EntityManager) => Promise<unknown>]>([
    ['a raw query through its manager', (manager) => manager.query('select 1')],
    ['an entity read', (manager) => manager.findOneBy(User, { email: 'nobody@example.com' })],
    ['a nested transaction', (manager) => manager.transaction((inner) => inner.query('select 1'))],
    ['nothing more, so the commit', async () => undefined],
  ])('fails transiently on %s', async (_, next) => {
    expect(classified(await failureAfterLoss(next))).toMatchObject({ transient: true });
  });

  it('fails transiently on a statement in flight when the connection is terminated', async () => {
    const failure = await db
      .transaction(async (manager) => {
        await manager.query('select 1');
        await Promise.all([manager.query('select pg_sleep(10)'), terminateConnections([database.name])]);
      })
      .catch((error: unknown) => error);
    expect(classified(failure)).toMatchObject({ transient: true });
  });

  it('fails transiently on a data source already destroyed (a request in flight at shutdown)', async () => {
    const closed = await new DataSource(authDataSourceOptions(database.url)).initialize();
    await closed.destroy();
    for (const use of [() => closed.query('select 1'), () => closed.manager.findOneBy(User, { email: 'x' })]) {
      const failure = await use().catch((error: unknown) => error);
      expect(classified(failure)).toMatchObject({ transient: true });
    }
  });

  it('still fails permanently on a bad statement, connection intact', async () => {
    const failure = await db.query('select 1 / 0').catch((error: unknown) => error);
    expect(classified(failure)).toMatchObject({ transient: false });
  });
});
