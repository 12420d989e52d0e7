import { DataSource } from 'typeorm';

export interface ClaimedRow {
  id: string;
  event_id: string;
  topic: string;
  key: string;
  type: string;
  headers: Record<string, string>;
  payload: unknown;
}

/**
 * The oldest unpublished rows, in id order. Only the advisory-lock holder runs this, so it takes no
 * row locks: a lock held while Kafka is slow would stall the writers that share these pages.
 *
 * Id order is commit order for any one aggregate: two changes of the same aggregate serialize on
 * its row lock, so the later one gets its outbox id after the earlier one committed.
 */
export function claimBatch(db: DataSource, limit: number): Promise<ClaimedRow[]> {
  return db.query(
    `select id, event_id, topic, key, type, headers, payload
       from outbox
      where published_at is null
      order by id
      limit $1`,
    [limit],
  );
}
