import { EntityManager } from 'typeorm';

/** A state-carrying event's effect on one row of a local copy. */
export interface VersionedRow {
  id: string;
  version: number;
  /** Other columns to set, by column name; every row of one call sets the same columns. */
  values: Record<string, unknown>;
  /** True for a deletion: the row stays as a tombstone (deleted_at set) that blocks older events. */
  deleted?: boolean;
}

export interface VersionedState extends VersionedRow {
  /** A table with `id` (uuid primary key), `version` (bigint or integer) and `deleted_at` columns. */
  table: string;
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Applies a state-carrying event to a local copy only when it is newer than what is stored, and
 * never revives a tombstone: a late or replayed older event changes nothing. Returns whether the
 * row changed. One statement, so concurrent deliveries of the same key cannot interleave.
 */
export async function applyIfNewer(manager: EntityManager, state: VersionedState): Promise<boolean> {
  const [changed] = await applyAllIfNewer(manager, state.table, [state]);
  return changed;
}

export interface ApplyOptions {
  /**
   * A PostgreSQL channel told each row that changed (`<id>:<version>`, `parseApplied` reads it),
   * from the same statement; PostgreSQL delivers it at commit, and never for a rollback
   * (read-your-writes waits on it: group-management's UserViewWaiter).
   */
  notify?: string;
  /**
   * Columns that never go down: an applied row keeps the greater of the stored and the given value.
   * For a value an older producer leaves out (and the consumer fills with its floor), so that an
   * event from before the field cannot lower what a newer one set.
   */
  monotonic?: string[];
}

/**
 * applyIfNewer for many rows, with the result of applying them one after the other in the order
 * given: whether each changed its row. One statement per round, where round n holds each id's n-th
 * row, so an id's rows are applied in order (an upsert cannot touch a row twice in one statement)
 * and a batch of distinct ids takes a single statement.
 */
export async function applyAllIfNewer(
  manager: EntityManager,
  table: string,
  rows: VersionedRow[],
  options: ApplyOptions = {},
): Promise<boolean[]> {
  const columns = Object.keys(rows[0]?.values ?? {});
  const monotonic = options.monotonic ?? [];
  for (const name of [table, ...columns, ...monotonic]) {
    if (!identifier.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  }
  const unknown = monotonic.filter((c) => !columns.includes(c));
  if (unknown.length > 0 && rows.length > 0) throw new Error(`monotonic columns not set: ${unknown.join(', ')}`);
  const statement = upsertStatement(table, columns, { notify: options.notify !== undefined, monotonic });
  const changed = rows.map(() => false);
  for (const round of rounds(rows)) {
    const records = round.map((i) => record(table, columns, rows[i]));
    const parameters = [JSON.stringify(records), ...(options.notify === undefined ? [] : [options.notify])];
    const applied = (await manager.query(statement, parameters)) as { id: string }[];
    // PostgreSQL prints a uuid in lowercase; an event may carry it in capitals.
    const ids = new Set(applied.map((r) => r.id));
    for (const i of round) changed[i] = ids.has(rows[i].id.toLowerCase());
  }
  return changed;
}

/**
 * Tells `channel` of rows changed by other means than applyAllIfNewer (an operator's repair), as
 * applyAllIfNewer's `notify` does: one NOTIFY per row, all in one statement, delivered at commit.
 */
export async function notifyApplied(
  manager: EntityManager,
  channel: string,
  rows: { id: string; version: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `select pg_notify($1, ${APPLIED_PAYLOAD}) from json_to_recordset($2::json) as r(id uuid, version bigint)`,
    [channel, JSON.stringify(rows.map(({ id, version }) => ({ id, version })))],
  );
}

/** The row a notification of `notify` or notifyApplied names; undefined for any other payload. */
export function parseApplied(payload: string | undefined): { id: string; version: number } | undefined {
  const match = /^([^:]+):(\d+)$/.exec(payload ?? '');
  return match ? { id: match[1], version: Number(match[2]) } : undefined;
}

/** A notification's payload, in SQL over a row's `id` (a uuid, printed in lowercase) and `version`; parseApplied reads it. */
const APPLIED_PAYLOAD = `id || ':' || version`;

/** A row as JSON for json_populate_recordset: its id, version, deleted_at and exactly `columns`. */
function record(table: string, columns: string[], row: VersionedRow): Record<string, unknown> {
  // 'now' is PostgreSQL's input for the transaction's start time, as now() (text, to go through JSON).
  const out: Record<string, unknown> = { id: row.id, version: row.version, deleted_at: row.deleted ? 'now' : null };
  for (const column of columns) {
    if (!(column in row.values)) throw new Error(`rows of ${table} set different columns`);
    out[column] = row.values[column];
  }
  if (Object.keys(row.values).length !== columns.length) throw new Error(`rows of ${table} set different columns`);
  return out;
}

/** Indexes of `rows` by round: each id's first row in round 0, its second in round 1, and so on. */
function rounds(rows: VersionedRow[]): number[][] {
  const result: number[][] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const id = row.id.toLowerCase();
    const round = seen.get(id) ?? 0;
    seen.set(id, round + 1);
    (result[round] ??= []).push(i);
  });
  return result;
}

/**
 * The rows arrive as one JSON array read as the table's own row type, so no column type is spelled
 * out. With `notify`, the NOTIFY rides on the upsert's statement ($2 is the channel): one round trip
 * less per batch a consumer applies.
 */
function upsertStatement(
  table: string,
  columns: string[],
  { notify, monotonic }: { notify: boolean; monotonic: string[] },
): string {
  const names = ['id', 'version', 'deleted_at', ...columns].join(', ');
  const assignments = [...columns, 'version', 'deleted_at']
    .map((c) => (monotonic.includes(c) ? `${c} = greatest(current.${c}, excluded.${c})` : `${c} = excluded.${c}`))
    .join(', ');
  const upsert = `insert into ${table} as current (${names})
          select ${names} from json_populate_recordset(null::${table}, $1::json)
          on conflict (id) do update set ${assignments}
          where current.version < excluded.version and current.deleted_at is null`;
  if (!notify) return `${upsert}\n          returning id`;
  return `with applied as (${upsert}\n          returning id, version)
          select id, pg_notify($2, ${APPLIED_PAYLOAD}) from applied`;
}
