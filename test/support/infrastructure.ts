import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** The server the tests use; each test file gets its own database on it. */
export const postgresServerUrl = (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(
  /\/[^/]*$/,
  '',
);

/** Brings PostgreSQL and Kafka up when they are down: `npm test` needs nothing started by hand. */
export function ensureInfrastructure(): void {
  const script = join(repoRoot, 'scripts', 'infra.sh');
  try {
    execFileSync('bash', [script, 'status'], { stdio: 'ignore' });
  } catch {
    execFileSync('bash', [script, 'up'], { stdio: 'inherit' });
  }
}
