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

export function templateName(schema: string): string {
  return `playball_${schema}_test_template`;
}

/** Creates a template database from scratch and runs the given migrations into it, once per run. */
export async function createTemplate(
  schema: string,
  options: (url: string) => DataSourceOptions,
): Promise<void> {
  const name = templateName(schema);
  assertTestDatabaseName(name);
  await admin(async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  const dataSource = new DataSource({ ...options(`${postgresServerUrl}/${name}`), migrationsRun: false } as DataSourceOptions);
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
