import { Client } from 'pg';
import { ReceivedRecord } from '../support/kafka';

export async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

interface ViewRow {
  id: string;
  display_name: string | null;
  version: number;
  deleted_at: Date | null;
}

/** Differences between auth's users (the truth) and group-management's view; empty when converged. */
export async function viewDifferences(authUrl: string, groupsUrl: string, everRegistered: string[]): Promise<string[]> {
  const truth = await query<{ id: string; display_name: string; version: number }>(
    authUrl,
    'select id, display_name, version from users',
  );
  const view = new Map((await query<ViewRow>(groupsUrl, 'select * from users')).map((r) => [r.id, r]));
  const live = new Set(truth.map((u) => u.id));
  const problems: string[] = [];
  for (const user of truth) {
    const seen = view.get(user.id);
    if (!seen || seen.deleted_at || seen.display_name !== user.display_name || seen.version !== user.version) {
      problems.push(`user ${user.id}: auth has ${user.display_name}@${user.version}, view has ${JSON.stringify(seen)}`);
    }
  }
  for (const row of view.values()) {
    if (!row.deleted_at && !live.has(row.id)) problems.push(`user ${row.id} is live in the view but not in auth`);
  }
  for (const id of everRegistered.filter((i) => !live.has(i))) {
    if (!view.get(id)?.deleted_at) problems.push(`deleted user ${id} is not tombstoned in the view`);
  }
  return problems;
}

export async function unpublishedOutboxRows(url: string): Promise<number> {
  const [row] = await query<{ n: number }>(url, 'select count(*)::int as n from outbox where published_at is null');
  return row.n;
}

/** Keys whose events (tombstones aside) appear on the topic out of sequence order. */
export function outOfOrderKeys(records: ReceivedRecord[]): string[] {
  const last = new Map<string, number>();
  const bad = new Set<string>();
  for (const record of records.filter((r) => r.value !== null)) {
    const sequence = Number(record.headers.ce_sequence);
    const key = `${record.topic}/${record.key}`;
    // A redelivered batch repeats a sequence; only going backwards breaks order.
    if (sequence < (last.get(key) ?? 0)) bad.add(key);
    last.set(key, Math.max(sequence, last.get(key) ?? 0));
  }
  return [...bad];
}
