import { EntityManager } from 'typeorm';

/**
 * Claims (consumer, event id) for each event inside the handler's transaction, in one statement
 * for the whole batch (one insert per event was a round trip each). Returns the ids claimed now;
 * an id left out was already applied: the caller skips it, and its delivery is acknowledged as a
 * no-op. The ids must be distinct.
 */
export async function recordProcessed(
  manager: EntityManager,
  consumer: string,
  events: { id: string; type: string }[],
): Promise<Set<string>> {
  const rows = (await manager.query(
    `insert into inbox (consumer, event_id, type)
     select $1, * from unnest($2::uuid[], $3::text[])
     on conflict (consumer, event_id) do nothing
     returning event_id`,
    [consumer, events.map((e) => e.id), events.map((e) => e.type)],
  )) as { event_id: string }[];
  return new Set(rows.map((r) => r.event_id));
}
