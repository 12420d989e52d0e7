import { EntityManager } from 'typeorm';

/**
 * Claims (consumer, event id) inside the handler's transaction. False means the event was already
 * applied: the caller skips the handler, and the redelivery is acknowledged as a no-op.
 */
export async function recordProcessed(manager: EntityManager, consumer: string, eventId: string, type: string) {
  const rows = (await manager.query(
    `insert into inbox (consumer, event_id, type) values ($1, $2, $3)
     on conflict (consumer, event_id) do nothing
     returning event_id`,
    [consumer, eventId, type],
  )) as unknown[];
  return rows.length === 1;
}
