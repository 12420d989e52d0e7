import type { Sql } from './sql';

/** Rows per delete statement: 10,000 keep one delete well under a second here, so no run holds the table long. */
export const PRUNE_BATCH_ROWS = 10_000;

/** A table and its timestamp column; identifiers written in code, never taken from input. */
export interface PruneTarget {
  table: string;
  column: string;
}

/**
 * The one way old rows go (the outbox's published rows, the inbox's processed ids): deletes the
 * rows whose `column` is older than the retention, a batch at a time, until none is left or
 * `stopping()` says to stop, so pruning keeps up with any write rate and a run after downtime
 * takes as many batches as it needs. Returns how many rows it deleted.
 */
export async function pruneOlderThan(
  db: Sql,
  { table, column }: PruneTarget,
  retentionMs: number,
  { batchRows = PRUNE_BATCH_ROWS, stopping = () => false }: { batchRows?: number; stopping?: () => boolean } = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `delete from ${table}
        where ctid in (select ctid from ${table}
                        where ${column} < now() - make_interval(secs => $1::double precision / 1000)
                        limit $2)`,
      [retentionMs, batchRows],
    );
    const deleted = rowCount ?? 0;
    total += deleted;
    if (deleted < batchRows || stopping()) return total;
  }
}
