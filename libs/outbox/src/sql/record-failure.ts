import type { Sql } from '@playball/platform/database';

/** Keeps the last error and an attempt count on the rows, for operators; the rows stay unpublished. */
export async function recordFailure(db: Sql, ids: string[], error: string): Promise<void> {
  await db.query(`update outbox set attempts = attempts + 1, last_error = $2 where id = any($1::bigint[])`, [
    ids,
    error.slice(0, 2_000),
  ]);
}
