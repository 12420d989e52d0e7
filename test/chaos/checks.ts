import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { isStrictlyIncreasing, publishedEvents, sequencesByKey } from '../support/events';
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

/** Deleted users whose remaining memberships group-management still removes in the background. */
export async function queuedCleanups(url: string): Promise<number> {
  const [row] = await query<{ n: number }>(url, 'select count(*)::int as n from membership_cleanups');
  return row.n;
}

export async function unpublishedOutboxRows(url: string): Promise<number> {
  const [row] = await query<{ n: number }>(url, 'select count(*)::int as n from outbox where published_at is null');
  return row.n;
}

/**
 * Keys whose events appear on their topic out of sequence order, judged on the first delivery of
 * each event: a relay killed between publish and mark republishes its whole batch, so a duplicate
 * may follow a newer event (the inbox absorbs it), but a first delivery must never go backwards.
 */
export function outOfOrderKeys(records: ReceivedRecord[]): string[] {
  const bad: string[] = [];
  for (const topic of new Set(records.map((r) => r.topic))) {
    const byKey = sequencesByKey(publishedEvents(records.filter((r) => r.topic === topic)));
    for (const [key, sequences] of byKey) if (!isStrictlyIncreasing(sequences)) bad.push(`${topic}/${key}`);
  }
  return bad;
}

/**
 * The unexpected errors in app logs, each with what says why: a 500 (ProblemFilter logs those
 * alone, at error level, the exception and its stack under `err`) and a crash (an uncaught
 * exception or an unhandled rejection, which Node prints as text and ends with its version line)
 * with the report before it. The workload only sees "HTTP 500" or a refused connection; the log
 * says why. App lines are JSON (pino, one object per line).
 */
export function unexpectedErrors(logFiles: string[]): string[] {
  const found: string[] = [];
  for (const file of new Set(logFiles)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const entry = jsonLine(line);
      if (entry && Number(entry.level) >= 50 && entry.context === 'ProblemFilter') {
        const err = entry.err as { stack?: string } | undefined;
        found.push(`${file}:\n${String(entry.msg)}\n${err?.stack ?? ''}`);
      }
      if (/^Node\.js v\d/.test(line)) found.push(`${file}:\n${crashReport(lines, i)}`);
    });
  }
  return found;
}

function jsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The lines Node printed for a crash ending at `end`: back to the last log line of the app. */
function crashReport(lines: string[], end: number): string {
  let start = end;
  while (start > 0 && end - start < 40 && !jsonLine(lines[start - 1])) start--;
  return lines.slice(start, end + 1).join('\n');
}
