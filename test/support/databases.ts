import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { postgresServerUrl } from './infrastructure';

/** Refuses any database whose name does not say it is a test's: tests drop what they create. */
export function assertTestDatabaseName(name: string): void {
  if (!/test/.test(name)) throw new Error(`refusing to use database "${name}": its name does not contain "test"`);
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${postgresServerUrl}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Templates are per test run (the global setup sets PLAYBALL_TEST_RUN), so two runs on one machine
 * never drop each other's template while the other is cloning it.
 */
export function templateName(schema: string): string {
  const run = process.env.PLAYBALL_TEST_RUN;
  if (!run) throw new Error('PLAYBALL_TEST_RUN is not set: run the tests through jest, whose global setup sets it');
  return `playball_${schema}_test_template_${run}`;
}

/** Drops this run's templates, and those of runs that died more than a day ago without cleaning up. */
export async function dropTemplates(): Promise<void> {
  await admin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database
        where datname like 'playball\\_%\\_test\\_%'
          and (datname like $1 or (pg_stat_file('base/' || oid || '/PG_VERSION', true)).modification < now() - interval '1 day')`,
      [`%_${process.env.PLAYBALL_TEST_RUN}`],
    );
    for (const { datname } of rows) {
      assertTestDatabaseName(datname);
      await client.query(`drop database if exists ${datname} with (force)`);
    }
  });
}

/** Creates a template database from scratch and runs the given migrations into it, once per run. */
export async function createTemplate(schema: string, options: (url: string) => DataSourceOptions): Promise<void> {
  const name = templateName(schema);
  assertTestDatabaseName(name);
  await admin(async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  const dataSource = new DataSource({
    ...options(`${postgresServerUrl}/${name}`),
    migrationsRun: false,
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from a migrated template: one per test file, dropped afterwards. */
export async function createTestDatabase(schema: string): Promise<TestDatabase> {
  const name = `playball_${schema}_test_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  await admin((client) => client.query(`create database ${name} template ${templateName(schema)}`));
  return {
    name,
    url: `${postgresServerUrl}/${name}`,
    drop: () => admin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/**
 * Terminates every session on the given test databases (pg_terminate_backend, as an administrator or
 * a failover would), those of other databases untouched. Resolves with how many it ended.
 */
export async function terminateConnections(names: string[]): Promise<number> {
  names.forEach(assertTestDatabaseName);
  return admin(async (client) => {
    const { rows } = await client.query<{ ended: number }>(
      'select count(pg_terminate_backend(pid))::int as ended from pg_stat_activity where datname = any($1)',
      [names],
    );
    return rows[0].ended;
  });
}
