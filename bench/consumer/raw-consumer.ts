import { Pool } from 'pg';
import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';

interface RawEvent {
  id: string;
  type: string;
  userId: string;
  version: number;
  displayName: string | null;
  credentialsVersion: number;
  deleted: boolean;
}

/**
 * The floor the inbox is measured against: a bare kafkajs consumer that writes the same rows with
 * plain SQL and nothing else. One transaction per fetched batch, the inbox rows in one insert, the
 * newest state of each user in one upsert with the same version check. No
 * schema validation, no dead letters, no retries, no Nest.
 */
export async function startRawConsumer(
  kafka: Kafka,
  pool: Pool,
  topic: string,
  groupId: string,
): Promise<{ consumer: Consumer; joined: Promise<number> }> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  const joined = new Promise<number>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve(performance.now()));
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  // Partitions in parallel as InboxKafkaServer consumes them: 3 at a time.
  await consumer.run({ partitionsConsumedConcurrently: 3, eachBatch: (payload) => applyBatch(pool, groupId, payload) });
  return { consumer, joined };
}

async function applyBatch(pool: Pool, groupId: string, { batch }: EachBatchPayload): Promise<void> {
  const events = batch.messages.map((m): RawEvent => {
    const header = (name: string) => m.headers![name]!.toString();
    const data = JSON.parse(m.value!.toString()) as {
      userId: string;
      version: number;
      displayName?: string;
      credentialsVersion?: number;
    };
    const type = header('ce_type');
    const deleted = type === 'playball.user.deleted.v1';
    return {
      id: header('ce_id'),
      type,
      userId: data.userId,
      version: data.version,
      displayName: data.displayName ?? null,
      // As group-management's consumer: a deletion voids every token; an older auth's event means 1.
      credentialsVersion: deleted ? data.version : (data.credentialsVersion ?? 1),
      deleted,
    };
  });
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ event_id: string }>(
      `insert into inbox (consumer, event_id, type) select $1, * from unnest($2::uuid[], $3::text[])
       on conflict do nothing returning event_id`,
      [groupId, events.map((e) => e.id), events.map((e) => e.type)],
    );
    const fresh = new Set(rows.map((r) => r.event_id));
    const newest = new Map<string, RawEvent>();
    for (const e of events) {
      if (fresh.has(e.id) && (newest.get(e.userId)?.version ?? 0) < e.version) newest.set(e.userId, e);
    }
    const states = [...newest.values()];
    await client.query(
      `insert into users as current (id, version, display_name, credentials_version, deleted_at)
       select id, version, display_name, credentials_version, case when deleted then now() end
         from unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::boolean[])
           as s(id, version, display_name, credentials_version, deleted)
       on conflict (id) do update
          set version = excluded.version, display_name = excluded.display_name,
              credentials_version = excluded.credentials_version, deleted_at = excluded.deleted_at
        where current.version < excluded.version and current.deleted_at is null`,
      [
        states.map((s) => s.userId),
        states.map((s) => s.version),
        states.map((s) => s.displayName),
        states.map((s) => s.credentialsVersion),
        states.map((s) => s.deleted),
      ],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
