import { DataSource } from 'typeorm';

export async function markPublished(db: DataSource, ids: string[]): Promise<void> {
  await db.query(`update outbox set published_at = now() where id = any($1::bigint[]) and published_at is null`, [ids]);
}
