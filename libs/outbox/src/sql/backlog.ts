import { DataSource } from 'typeorm';

export interface Backlog {
  unpublished: number;
  oldestAgeSeconds: number | null;
}

export async function backlog(db: DataSource): Promise<Backlog> {
  const [row] = (await db.query(
    `select count(*)::int as unpublished,
            extract(epoch from now() - min(created_at))::float as oldest
       from outbox where published_at is null`,
  )) as [{ unpublished: number; oldest: number | null }];
  return { unpublished: row.unpublished, oldestAgeSeconds: row.oldest };
}
