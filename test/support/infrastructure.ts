import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
/** KAFKA_BROKERS; else scripts/infra.sh's broker, or its three nodes with KAFKA_NODES=3. */
export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? defaultBrokers()).split(',');

function defaultBrokers(): string {
  if (process.env.KAFKA_NODES !== '3') return `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`;
  const first = Number(process.env.KAFKA_CLUSTER_PORT ?? 29092);
  return [0, 1, 2].map((i) => `127.0.0.1:${first + i}`).join(',');
}
/** The server the tests use; each test file gets its own database on it. */
export const postgresServerUrl = (
  process.env.DATABASE_URL ||
  `postgres://${process.env.PGUSER ?? 'postgres'}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? 5432}/postgres`
).replace(/\/[^/]*$/, '');

/** Brings PostgreSQL and Kafka up when they are down: `npm test` needs nothing started by hand. */
export function ensureInfrastructure(): void {
  const script = join(repoRoot, 'scripts', 'infra.sh');
  try {
    execFileSync('bash', [script, 'status'], { stdio: 'ignore' });
  } catch {
    execFileSync('bash', [script, 'up'], { stdio: 'inherit' });
  }
}
