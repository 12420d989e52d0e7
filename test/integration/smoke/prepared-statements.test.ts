import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { defaultPoolSettings, poolOptions } from '@playball/platform/database';
import { isTransient } from '@playball/platform/retry';
import { authDataSourceOptions } from '../../../apps/auth/src/database/data-source';
import { User } from '../../../apps/auth/src/users/user.entity';
import { createTestDatabase, TestDatabase } from '../../support/databases';

/** The statements this session has prepared, as PostgreSQL lists them. */
async function prepared(client: PoolClient): Promise<{ name: string; statement: string }[]> {
  const { rows } = await client.query<{ name: string; statement: string }>(
    'select name, statement from pg_prepared_statements order by prepare_time',
  );
  return rows;
}

describe('prepared statements (DATABASE_PREPARED_STATEMENTS)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('auth');
  });

  afterAll(async () => {
    await database.drop();
  });

  /** A one-connection pool as the apps configure theirs, so every statement shares one session. */
  async function withSession(max: number, work: (client: PoolClient) => Promise<void>): Promise<void> {
    const pool = new Pool({
      connectionString: database.url,
      ...poolOptions('prepared-statements-test', {
        ...defaultPoolSettings,
        DATABASE_POOL_SIZE: 1,
        DATABASE_PREPARED_STATEMENTS: max,
      }),
    });
    const client = await pool.connect();
    try {
      await work(client);
    } finally {
      client.release();
      await pool.end();
    }
  }

  it("prepares TypeORM's statements from their second run on, in the app's own data source", async () => {
    const db = await new DataSource(
      authDataSourceOptions(database.url, { ...defaultPoolSettings, DATABASE_POOL_SIZE: 1 }),
    ).initialize();
    try {
      const id = '0190a6f2-7b3c-7def-8000-000000000001';
      await db.getRepository(User).findOneBy({ id });
      const afterOne = (await db.query('select statement from pg_prepared_statements')) as unknown[];
      await db.getRepository(User).findOneBy({ id });
      await db.getRepository(User).findOneBy({ id });
      const afterThree = (await db.query(
        'select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements',
      )) as { statement: string; runs: number }[];
      expect(afterOne).toEqual([]);
      // Prepared at the second run, and run prepared by the second and the third.
      expect(afterThree).toEqual([{ statement: expect.stringMatching(/FROM "users"/), runs: 2 }]);
    } finally {
      await db.destroy();
    }
  });

  it('prepares at most DATABASE_PREPARED_STATEMENTS texts per connection, and none with 0', async () => {
    const texts = [1, 2, 3, 4].map((n) => `select $1::int + ${n} as n`);
    await withSession(2, async (client) => {
      for (const text of [...texts, ...texts, ...texts]) await client.query(text, [1]);
      expect(await prepared(client)).toHaveLength(2);
      // Past the bound the statements still run, unnamed.
      await expect(client.query(texts[3], [1])).resolves.toMatchObject({ rows: [{ n: 5 }] });
    });
    await withSession(0, async (client) => {
      for (const text of [...texts, ...texts]) await client.query(text, [1]);
      expect(await prepared(client)).toEqual([]);
    });
  });

  it("prepares what runs through pg-pool's pool.query (the callback form) too", async () => {
    const pool = new Pool({
      connectionString: database.url,
      ...poolOptions('prepared-statements-test', { ...defaultPoolSettings, DATABASE_POOL_SIZE: 1 }),
    });
    try {
      for (let n = 1; n <= 3; n++)
        await expect(pool.query('select $1::int as n', [n])).resolves.toMatchObject({ rows: [{ n }] });
      const { rows } = await pool.query<{ statement: string; runs: number }>(
        'select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements',
      );
      expect(rows).toEqual([{ statement: 'select $1::int as n', runs: 2 }]);
    } finally {
      await pool.end();
    }
  });

  it('leaves statements without parameters unnamed', async () => {
    await withSession(10, async (client) => {
      for (let i = 0; i < 3; i++) await client.query('select 1');
      expect(await prepared(client)).toEqual([]);
    });
  });

  it('prepares a statement anew after a migration changed the type of a column it returns', async () => {
    await withSession(10, async (client) => {
      await client.query('create table prepared_probe (id int primary key, v int)');
      await client.query('insert into prepared_probe values (1, 7)');
      const read = 'select v from prepared_probe where id = $1';
      await client.query(read, [1]);
      await client.query(read, [1]);
      await client.query('alter table prepared_probe alter column v type bigint');

      // PostgreSQL refuses the prepared statement once; the error asks for a retry, and the retry runs.
      const failure: unknown = await client.query(read, [1]).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: '0A000', message: 'cached plan must not change result type' });
      expect(isTransient(failure)).toBe(true);
      await expect(client.query(read, [1])).resolves.toMatchObject({ rows: [{ v: '7' }] });
      await client.query(read, [1]);
      expect((await prepared(client)).map((s) => s.statement)).toEqual([read, read]);
    });
  });

  it('runs on after the session dropped its prepared statements (DEALLOCATE ALL, a pooler reset)', async () => {
    await withSession(10, async (client) => {
      const read = 'select $1::int as n';
      await client.query(read, [1]);
      await client.query(read, [1]);
      await client.query('deallocate all');

      await expect(client.query(read, [1])).rejects.toMatchObject({ code: '26000' });
      await expect(client.query(read, [2])).resolves.toMatchObject({ rows: [{ n: 2 }] });
      await client.query(read, [3]);
      expect(await prepared(client)).toEqual([{ name: expect.any(String), statement: read }]);
    });
  });
});
