// SQLSTATE classes and codes that say "try again later", not "this input is bad":
// 08 connection exception, 53 insufficient resources, 57P01-03 admin shutdown / crash / cannot
// connect now, 40001 serialization failure, 40P01 deadlock, 55P03 lock not available, 57014 timeout.
const transientSqlStates = /^(08|53|57P0[1-3]|40001|40P01|55P03|57014)/;
const transientNodeCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// PostgreSQL ends the session after a FATAL error (e.g. 55000 "database is not currently accepting
// connections", 28P01 after a password rotation): the connection failed, not the event.
const sessionEndingSeverities = new Set(['FATAL', 'PANIC']);
// TypeORM releases a query runner whose connection emits an error (a backend terminated, say); the
// transaction's next query then fails with this, after PostgreSQL has rolled the transaction back.
// Seen once in a chaos run, at its pg_terminate_backend, as a 500 on DELETE /users/me.
const transientErrorNames = new Set(['QueryRunnerAlreadyReleasedError']);
const transientMessages =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

/** True for failures that a later retry can fix: the database or network, not the request or event. */
export function isTransient(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (transientSqlStates.test(code) || transientNodeCodes.has(code))) return true;
    if (sessionEndingSeverities.has((e as { severity?: unknown }).severity as string)) return true;
    if (transientErrorNames.has(e.name)) return true;
    const driverError = (e as { driverError?: unknown }).driverError;
    if (driverError && driverError !== e && isTransient(driverError)) return true;
    if (transientMessages.test(e.message)) return true;
  }
  return false;
}
