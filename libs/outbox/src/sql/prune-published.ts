import { DataSource } from 'typeorm';

/**
 * Deletes rows published before the retention cut-off, at most `limit` at a time: 10,000 rows keep
 * one delete well under a second here, so pruning never holds the table long.
 */
export async function prunePublished(db: DataSource, retentionMs: number, limit = 10_000): Promise<number> {
  const [, deleted] = (await db.query(
    `delete from outbox
      where id in (select id from outbox
                    where published_at < now() - make_interval(secs => $1::double precision / 1000)
                    order by id limit $2)`,
    [retentionMs, limit],
  )) as [unknown, number];
  return deleted;
}
