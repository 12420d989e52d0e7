import type { Sql } from '@playball/platform/database';

export async function markPublished(db: Sql, ids: string[]): Promise<void> {
  await db.query(`update outbox set published_at = now() where id = any($1::bigint[]) and published_at is null`, [ids]);
}
