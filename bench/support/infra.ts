import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers, postgresServerUrl } from '../../test/support/infrastructure';

/**
 * The broker and PostgreSQL server every measure of one run shares (`npm run infra:up`), found from
 * the same environment as the tests' (KAFKA_BROKERS or KAFKA_PORT, DATABASE_URL or PG*).
 */
export const brokers = kafkaBrokers;
export const serverUrl = postgresServerUrl;
export const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** `work` on a connection of its own to `url`, closed after it, whatever happens. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** One statement on the server's maintenance database (create or drop a database). */
export async function admin(sql: string): Promise<void> {
  await withClient(`${serverUrl}/postgres`, (client) => client.query(sql));
}

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** An empty database of its own, dropped after the measure. */
export async function createDatabase(label: string): Promise<BenchDatabase> {
  const name = `playball_bench_${label}_${uniqueSuffix()}`;
  await admin(`create database ${name}`);
  return { url: `${serverUrl}/${name}`, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const client = kafka.admin();
  await client.connect();
  try {
    const existing = new Set(await client.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length > 0) await client.deleteTopics({ topics: mine });
  } finally {
    await client.disconnect();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
