import type { Sql } from '@playball/platform/database';

export interface Backlog {
  unpublished: number;
  oldestAgeSeconds: number | null;
}

export async function backlog(db: Sql): Promise<Backlog> {
  const {
    rows: [row],
  } = await db.query<{ unpublished: number; oldest: number | null }>(
    `select count(*)::int as unpublished,
            extract(epoch from now() - min(created_at))::float as oldest
       from outbox where published_at is null`,
  );
  return { unpublished: row.unpublished, oldestAgeSeconds: row.oldest };
}
