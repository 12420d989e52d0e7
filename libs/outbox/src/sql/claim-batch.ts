import type { Sql } from '@playball/platform/database';

export interface ClaimedRow {
  id: string;
  event_id: string;
  topic: string;
  key: string;
  type: string;
  headers: Record<string, string>;
  /** The record value: the payload as stored (JSON text), null for a tombstone. */
  value: string | null;
}

/**
 * The oldest unpublished rows, in id order. Only the advisory-lock holder runs this, so it takes no
 * row locks: a lock held while Kafka is slow would stall the writers that share these pages.
 *
 * Id order is commit order for any one aggregate: two changes of the same aggregate serialize on
 * its row lock, so the later one gets its outbox id after the earlier one committed.
 *
 * Bitmap scans must be off on the connection that runs it (`relaySessionOptions`): with the
 * statistics of a small backlog (the usual case), the planner reads the WHOLE backlog through a
 * bitmap scan and sorts it for each batch, so catching up after an outage is quadratic. With 15,000
 * rows waiting, that plan took 31 ms per 500-row batch; the ordered walk of the partial index takes
 * 2.8 ms, whatever the backlog. Set per session rather than per transaction (`set local`), the claim
 * is one round trip instead of four (begin, set, select, commit): at 150 commits/s, each claiming
 * its own small batch, those three were most of the relay's statements.
 *
 * `skip` names rows claimed but not yet marked (the relay claims the next batch while it publishes
 * one and marks the one before): walking past 4,000 of them cost nothing measurable (a 2,000-row
 * claim behind them took 1.9 ms in PostgreSQL, EXPLAIN ANALYZE). With claims of 5,000 up to 10,000
 * are skipped; that walk was not timed apart, and the relay's drain rate with it is in
 * docs/performance.md.
 *
 * The payload comes as text, the record value as is: JSON.parse then JSON.stringify of a user
 * payload took 8 µs (a million of them, this machine under load) on the relay's thread, the part of
 * the relay that limits its throughput (docs/performance.md), for nothing.
 */
export async function claimBatch(db: Sql, limit: number, skip: string[] = []): Promise<ClaimedRow[]> {
  const { rows } = await db.query<ClaimedRow>(
    `select id, event_id, topic, key, type, headers, payload::text as value
       from outbox
      where published_at is null and id <> all($2::bigint[])
      order by id
      limit $1`,
    [limit, skip],
  );
  return rows;
}

/**
 * The relay's connections run with bitmap scans off, for the claim (above). Its other statements
 * keep their plans: the mark and the failure record find rows by primary key, the backlog gauge
 * counts the partial index of unpublished rows, pruning walks the index of `published_at`.
 */
export const relaySessionOptions = { options: '-c enable_bitmapscan=off' };
