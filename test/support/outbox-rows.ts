import { EntityManager } from 'typeorm';

export interface CapturedRow {
  type: string;
  data: unknown;
}

/** What the outbox holds for one key, in capture order: each row's type and payload (null for a tombstone). */
export async function capturedFor(manager: EntityManager, key: string): Promise<CapturedRow[]> {
  return (await manager.query(`select type, payload as data from outbox where key = $1 order by id`, [
    key,
  ])) as CapturedRow[];
}
