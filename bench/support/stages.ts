import { withClient } from './infra';

/**
 * BENCH_STAGES=1: the end-to-end lag split into its stages, from PostgreSQL's own timestamps, so
 * the bench process's event loop (the writer's 32 connections share it with the watcher) is in none
 * of them. Each database gets a deferred constraint trigger on the table an event's transaction
 * inserts into (auth's outbox, group-management's inbox): it fires at commit and notes
 * clock_timestamp(). With the outbox's created_at (the writer's transaction began), its published_at
 * (the relay's mark began, after the broker's acknowledgement) and the inbox's processed_at
 * (group-management's transaction began), that gives:
 *
 *   writer: begin → commit · relay: commit → marked · consumer: marked → apply began (negative
 *   when the consumer began before the mark) · apply: began → committed · commit → commit
 *
 * The triggers add an insert to both transactions, so a run with them is a profile, not a record.
 */
const TRIGGER_TABLES = { auth: 'outbox', groups: 'inbox' } as const;

export const stagesRequested = process.env.BENCH_STAGES === '1';

interface Database {
  url: string;
  table: string;
}

async function install({ url, table }: Database): Promise<void> {
  await withClient(url, async (client) => {
    await client.query(
      `create table if not exists bench_committed (event_id uuid primary key, at timestamptz not null)`,
    );
    await client.query(`
      create or replace function bench_committed() returns trigger language plpgsql as $$
      begin insert into bench_committed values (new.event_id, clock_timestamp()); return null; end $$`);
    await client.query(`drop trigger if exists bench_committed on ${table}`);
    await client.query(`
      create constraint trigger bench_committed after insert on ${table}
      deferrable initially deferred for each row execute function bench_committed()`);
  });
}

async function uninstall({ url, table }: Database): Promise<void> {
  await withClient(url, (client) => client.query(`drop trigger if exists bench_committed on ${table}`));
}

function percentile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10;
}

export interface StageClocks {
  /** The split of the events whose transaction began at or after `since`, as one line. */
  split(since: Date): Promise<string>;
  remove(): Promise<void>;
}

export async function installStageClocks(authUrl: string, groupsUrl: string): Promise<StageClocks> {
  const auth = { url: authUrl, table: TRIGGER_TABLES.auth };
  const groups = { url: groupsUrl, table: TRIGGER_TABLES.groups };
  await install(auth);
  await install(groups);
  return {
    async split(since) {
      const epoch = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
      const written = await withClient(authUrl, (client) =>
        client.query<{ event_id: string; began: number; committed: number; marked: number }>(
          `select o.event_id, ${epoch('o.created_at')} as began, ${epoch('c.at')} as committed,
                  ${epoch('o.published_at')} as marked
             from outbox o join bench_committed c using (event_id)
            where o.created_at >= $1 and o.published_at is not null`,
          [since],
        ),
      );
      const applied = await withClient(groupsUrl, (client) =>
        client.query<{ event_id: string; began: number; committed: number }>(
          `select i.event_id, ${epoch('i.processed_at')} as began, ${epoch('c.at')} as committed
             from inbox i join bench_committed c using (event_id)
            where i.processed_at >= $1`,
          [since],
        ),
      );
      const byEvent = new Map(applied.rows.map((row) => [row.event_id, row]));
      const stages: Record<string, number[]> = {
        writer: [],
        relay: [],
        consumer: [],
        apply: [],
        'commit → commit': [],
      };
      for (const w of written.rows) {
        const a = byEvent.get(w.event_id);
        if (!a) continue;
        stages.writer.push(w.committed - w.began);
        stages.relay.push(w.marked - w.committed);
        stages.consumer.push(a.began - w.marked);
        stages.apply.push(a.committed - a.began);
        stages['commit → commit'].push(a.committed - w.committed);
      }
      const parts = Object.entries(stages).map(([name, values]) => {
        const sorted = [...values].sort((x, y) => x - y);
        return sorted.length === 0
          ? `${name} n/a`
          : `${name} p50 ${percentile(sorted, 50)} / p99 ${percentile(sorted, 99)}`;
      });
      return `stages (ms, ${stages.writer.length} events): ${parts.join(', ')}`;
    },
    async remove() {
      await uninstall(auth);
      await uninstall(groups);
    },
  };
}
