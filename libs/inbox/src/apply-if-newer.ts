import { EntityManager } from 'typeorm';

export interface VersionedState {
  /** A table with `id` (primary key), `version` (bigint or integer) and `deleted_at` columns. */
  table: string;
  id: string;
  version: number;
  /** Other columns to set, by column name. */
  values: Record<string, unknown>;
  /** True for a deletion: the row stays as a tombstone (deleted_at set) that blocks older events. */
  deleted?: boolean;
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Applies a state-carrying event to a local copy only when it is newer than what is stored, and
 * never revives a tombstone: a late or replayed older event changes nothing. Returns whether the
 * row changed. One statement, so concurrent deliveries of the same key cannot interleave.
 */
export async function applyIfNewer(manager: EntityManager, state: VersionedState): Promise<boolean> {
  const columns = Object.keys(state.values);
  for (const name of [state.table, ...columns]) {
    if (!identifier.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  }
  const params = [state.id, state.version, ...Object.values(state.values)];
  const valueList = columns.map((_, i) => `$${i + 3}`);
  const deletedAt = state.deleted ? 'now()' : 'null';
  const assignments = [
    ...columns.map((c) => `${c} = excluded.${c}`),
    'version = excluded.version',
    'deleted_at = excluded.deleted_at',
  ];
  const rows = (await manager.query(
    `insert into ${state.table} as current (id, version, deleted_at${columns.map((c) => `, ${c}`).join('')})
     values ($1, $2, ${deletedAt}${valueList.map((v) => `, ${v}`).join('')})
     on conflict (id) do update set ${assignments.join(', ')}
     where current.version < excluded.version and current.deleted_at is null
     returning id`,
    params,
  )) as unknown[];
  return rows.length === 1;
}
