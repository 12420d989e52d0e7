import type { KafkaMessage } from 'kafkajs';
import { QueryRunner } from 'typeorm';
import { fromKafkaRecord, InvalidEventError } from '@playball/events';
import { headerStrings } from '@playball/inbox';

/** A user as the topic says: a null version is a tombstone whose `deleted` event was compacted away. */
interface ShadowUser {
  id: string;
  display_name: string | null;
  version: number | null;
  /**
   * As the consumer keeps it: the event's, 1 when it has none, the deletion's version for a
   * deletion; never lower than an earlier event's (an auth of before the field sends none).
   */
  credentials_version: number | null;
  deleted: boolean;
}

/**
 * The user view rebuilt from `auth.user.v1` into a temporary table on the rebuild's own session:
 * the live view and its consumer are untouched while it fills, and a rebuild that dies leaves
 * nothing behind. A later record of a user replaces an earlier one unless its version is lower,
 * the rule the live view follows; invalid records (the consumer dead-letters them) are skipped.
 */
export class ShadowView {
  skipped = 0;

  constructor(private readonly session: QueryRunner) {}

  async create(): Promise<void> {
    await this.session.query(
      `create temporary table users_rebuild (id uuid primary key, display_name text, version integer, credentials_version integer, deleted boolean not null)`,
    );
  }

  async apply(topic: string, messages: KafkaMessage[]): Promise<void> {
    const users = new Map<string, ShadowUser>();
    for (const message of messages) {
      const state = this.read(topic, message);
      if (!state) continue;
      const before = users.get(state.id);
      // A tombstone keeps the version its `deleted` event gave, as the statement below does across batches.
      if (state.version === null) {
        users.set(state.id, {
          ...state,
          version: before?.version ?? null,
          credentials_version: before?.credentials_version ?? null,
        });
      } else if (!before || before.version === null || before.version <= state.version) {
        const credentials = Math.max(state.credentials_version ?? 0, before?.credentials_version ?? 0);
        users.set(state.id, { ...state, credentials_version: credentials });
      }
    }
    if (users.size === 0) return;
    await this.session.query(
      `insert into users_rebuild as s (id, display_name, version, credentials_version, deleted)
       select id, display_name, version, credentials_version, deleted from json_populate_recordset(null::users_rebuild, $1::json)
       on conflict (id) do update
          set display_name = excluded.display_name, version = coalesce(excluded.version, s.version),
              credentials_version = greatest(excluded.credentials_version, s.credentials_version), deleted = excluded.deleted
        where excluded.version is null or s.version is null or s.version <= excluded.version`,
      [JSON.stringify([...users.values()])],
    );
  }

  async counts(): Promise<{ live: number; deleted: number }> {
    const [row] = (await this.session.query(
      `select count(*) filter (where not deleted)::int as live, count(*) filter (where deleted)::int as deleted from users_rebuild`,
    )) as [{ live: number; deleted: number }];
    return row;
  }

  private read(topic: string, message: KafkaMessage): ShadowUser | null {
    if (message.value === null) {
      const id = message.key?.toString().toLowerCase();
      return id ? { id, display_name: null, version: null, credentials_version: null, deleted: true } : null;
    }
    try {
      const event = fromKafkaRecord(topic, headerStrings(message.headers), message.value);
      const data = event.data as { userId: string; version: number; displayName?: string; credentialsVersion?: number };
      const deleted = event.type === 'playball.user.deleted.v1';
      return {
        id: data.userId.toLowerCase(),
        display_name: deleted ? null : (data.displayName ?? null),
        version: data.version,
        credentials_version: deleted ? data.version : (data.credentialsVersion ?? 1),
        deleted,
      };
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      this.skipped++;
      return null;
    }
  }
}
