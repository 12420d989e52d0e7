import { EntityManager } from 'typeorm';

/** A dead letter's place: its dead-letter topic (name on the wire), partition and offset. */
export interface LetterPosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface ReplayRecord {
  replays: number;
  firstReplayedAt: string;
  lastReplayedAt: string;
}

/** The replays recorded for these letters, by `topic/partition:offset`. */
export async function replaysOf(manager: EntityManager, letters: LetterPosition[]): Promise<Map<string, ReplayRecord>> {
  if (letters.length === 0) return new Map();
  const rows = (await manager.query(
    `select r.dlq_topic as topic, r.dlq_partition as partition, r.dlq_offset::text as offset, r.replays,
            r.first_replayed_at as "firstReplayedAt", r.last_replayed_at as "lastReplayedAt"
       from dead_letter_replays r
       join json_populate_recordset(null::dead_letter_replays, $1::json) l
         on (l.dlq_topic, l.dlq_partition, l.dlq_offset) = (r.dlq_topic, r.dlq_partition, r.dlq_offset)`,
    [JSON.stringify(letters.map((l) => ({ dlq_topic: l.topic, dlq_partition: l.partition, dlq_offset: l.offset })))],
  )) as (LetterPosition & { replays: number; firstReplayedAt: Date; lastReplayedAt: Date })[];
  return new Map(
    rows.map((r) => [
      letterKey(r),
      {
        replays: r.replays,
        firstReplayedAt: new Date(r.firstReplayedAt).toISOString(),
        lastReplayedAt: new Date(r.lastReplayedAt).toISOString(),
      },
    ]),
  );
}

export function letterKey(letter: LetterPosition): string {
  return `${letter.topic}/${letter.partition}:${letter.offset}`;
}

/**
 * Records a replay in the caller's transaction; returns how many times the letter has now been
 * replayed. The row is locked until commit, so two operators replaying the same letter at once
 * are serialized: the second sees the first's row.
 */
export async function recordReplay(
  manager: EntityManager,
  letter: LetterPosition & { eventId: string | null; sourceTopic: string },
): Promise<number> {
  const [{ replays }] = (await manager.query(
    `insert into dead_letter_replays (dlq_topic, dlq_partition, dlq_offset, event_id, source_topic)
     values ($1, $2, $3, $4, $5)
     on conflict (dlq_topic, dlq_partition, dlq_offset)
       do update set replays = dead_letter_replays.replays + 1, last_replayed_at = now()
     returning replays`,
    [letter.topic, letter.partition, letter.offset, letter.eventId, letter.sourceTopic],
  )) as [{ replays: number }];
  return replays;
}
