import { TypeORMError } from 'typeorm';
import { isCachedPlanChanged } from '../database/prepared-statements';

/**
 * True for failures that a later retry can fix: the database or network, not the request or event.
 * Looks at the error and every error under it (`cause`, TypeORM's `driverError`).
 */
export function isTransient(error: unknown): boolean {
  return causes(error).some((e) => isConnectionLost(e) || asksToRetry(e));
}

/**
 * The connection or the query runner went away, whoever noticed it first. The same loss surfaces in
 * four layers, each saying it its own way (read from pg 8.23, pg-pool 3 and typeorm 1.1 sources):
 * - PostgreSQL ends the session: a FATAL or PANIC error, SQLSTATE class 08 (connection exception) or
 *   57P01-03 (admin shutdown, crash shutdown, cannot connect now);
 * - the operating system: the socket's errno;
 * - node-postgres: a plain Error without a code, for a client whose socket ended, whose connection
 *   errored, that was closed, or a pool that timed out connecting or was ended;
 * - TypeORM: when a connection emits an error, PostgresQueryRunner releases its query runner; every
 *   later use of that runner (a query, a nested transaction, a query through its manager, the commit)
 *   or of a destroyed data source is refused before reaching the driver, with no code and no cause.
 * node-postgres and TypeORM leave nothing but the message to tell these apart, so it is matched;
 * test/integration/connection-loss provokes each situation, so a reworded message fails a test.
 */
export function isConnectionLost(error: Error): boolean {
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  if (typeof code === 'string' && (/^(08|57P0[1-3])/.test(code) || socketErrors.has(code))) return true;
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  if (error instanceof TypeORMError && typeOrmNoConnection.test(error.message)) return true;
  return code === undefined && nodePostgresNoConnection.test(error.message);
}

const socketErrors = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

// pg/lib/client.js and pg-pool/index.js: every message raised for a connection that is gone or never came.
const nodePostgresNoConnection =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end on the pool|timeout exceeded when trying to connect)/;

// What TypeORM throws instead of querying when it has no connection to query on: a released query
// runner (QueryRunnerAlreadyReleasedError from PostgresQueryRunner.query and .stream;
// QueryRunnerProviderAlreadyReleasedError from EntityManager.transaction and DataSource.query) or a
// destroyed data source (a plain TypeORMError from PostgresDriver.obtainMasterConnection).
const typeOrmNoConnection =
  /^(Query runner already released|Database connection provided by a query runner was already released|Driver not Connected)/;

/**
 * The database kept the connection and asks to try again: 53 insufficient resources, 40001
 * serialization failure, 40P01 deadlock, 55P03 lock not available, 57014 statement timeout; and a
 * prepared statement whose result changed type under a migration, which the next run prepares anew
 * (`isCachedPlanChanged`).
 */
function asksToRetry(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && /^(53|40001|40P01|55P03|57014)/.test(code)) || isCachedPlanChanged(error);
}

function causes(error: unknown): Error[] {
  const found: Error[] = [];
  const pending = [error];
  while (pending.length > 0) {
    const e = pending.pop();
    if (!(e instanceof Error) || found.includes(e)) continue;
    found.push(e);
    pending.push((e as { cause?: unknown }).cause, (e as { driverError?: unknown }).driverError);
  }
  return found;
}
