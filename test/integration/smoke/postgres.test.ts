import { DataSource } from 'typeorm';
import { defaultPoolSettings } from '@playball/platform/database';
import { isTransient } from '@playball/platform/retry';
import { authDataSourceOptions } from '../../../apps/auth/src/database/data-source';
import { assertTestDatabaseName, createTestDatabase, TestDatabase } from '../../support/databases';

describe('PostgreSQL', () => {
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

  it('gives each test file its own database cloned from the migrated template', async () => {
    expect(database.name).toMatch(/^playball_auth_test_[0-9a-f]{8}$/);
    const applied = (await db.query('select name from migrations order by id')) as { name: string }[];
    expect(applied.map((m) => m.name)).toEqual([
      'CreateOutbox1764100000000',
      'CreateRateLimits1764100000002',
      'CreateUsers1764100000100',
      'AddCredentialsVersion1764100000101',
    ]);
    await expect(db.query('select count(*)::int as n from users')).resolves.toEqual([{ n: 0 }]);
  });

  it('has no pending migration', async () => {
    await expect(db.showMigrations()).resolves.toBe(false);
  });

  it('cancels a statement that outlives DATABASE_STATEMENT_TIMEOUT_MS, as a transient failure', async () => {
    const bounded = await new DataSource(
      authDataSourceOptions(database.url, {
        ...defaultPoolSettings,
        DATABASE_POOL_SIZE: 1,
        DATABASE_STATEMENT_TIMEOUT_MS: 200,
      }),
    ).initialize();
    try {
      const failure: unknown = await bounded.query('select pg_sleep(10)').catch((error: unknown) => error);
      expect(failure).toMatchObject({ driverError: { code: '57014' } });
      expect(isTransient(failure)).toBe(true);
    } finally {
      await bounded.destroy();
    }
  });

  it('refuses a database whose name does not say test', () => {
    expect(() => assertTestDatabaseName('playball_auth')).toThrow(/does not contain "test"/);
  });
});
