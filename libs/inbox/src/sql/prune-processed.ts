import { DataSource } from 'typeorm';

/** Deletes inbox rows older than the retention, at most `limit` at a time (see the outbox's prune). */
export async function pruneProcessed(db: DataSource, retentionMs: number, limit = 10_000): Promise<number> {
  const [, deleted] = (await db.query(
    `delete from inbox
      where ctid in (select ctid from inbox
                      where processed_at < now() - make_interval(secs => $1::double precision / 1000)
                      limit $2)`,
    [retentionMs, limit],
  )) as [unknown, number];
  return deleted;
}
