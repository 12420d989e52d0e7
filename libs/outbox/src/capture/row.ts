import { EntityManager, ObjectLiteral, QueryRunner, UpdateEvent } from 'typeorm';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** Reads a row back by the primary key found in `source`, inside the caller's transaction. */
export async function loadRow(
  manager: EntityManager,
  metadata: EntityMetadata,
  source: ObjectLiteral,
  options: { lock?: boolean } = {},
): Promise<ObjectLiteral | null> {
  const where = metadata.getEntityIdMap(source);
  if (!where) throw new Error(`${metadata.name}: the outbox needs the primary key of a changed row to capture it`);
  return manager.findOne(metadata.target, {
    where,
    ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
}

/**
 * The row an update of a row locked since before the save wrote: TypeORM's read before the save
 * (`databaseEntity`), the columns the save changed, and what the database returned (the version,
 * the update date). Undefined when that cannot be told without reading the row back: no version
 * column, a save with `reload: false` (the returned version is not merged), or a changed relation.
 */
export function rowAsWritten(event: UpdateEvent<ObjectLiteral>): ObjectLiteral | undefined {
  const { metadata, entity, databaseEntity: before } = event;
  const version = metadata.versionColumn;
  if (!entity || !before || !version || event.updatedRelations.length > 0) return undefined;
  if (version.getEntityValue(entity) !== version.getEntityValue(before) + 1) return undefined;
  const changed = new Set(event.updatedColumns);
  const row = metadata.create() as ObjectLiteral;
  for (const column of metadata.columns) {
    if (column.isVirtual) continue;
    const written = changed.has(column) || column.isVersion || column.isUpdateDate || column.asExpression !== undefined;
    column.setEntityValue(row, column.getEntityValue(written ? entity : before));
  }
  return row;
}

const tails = new WeakMap<QueryRunner, Promise<unknown>>();

/**
 * Runs `work` after the capture work already queued on this query runner. TypeORM fires the hooks
 * of a multi-entity save all at once; one pg connection must not be given concurrent queries
 * (deprecated in pg 8, removed in 9), and the outbox rows must keep the order of the entities.
 */
export function serially<T>(queryRunner: QueryRunner, work: () => Promise<T>): Promise<T> {
  const next = (tails.get(queryRunner) ?? Promise.resolve()).then(work);
  tails.set(
    queryRunner,
    next.catch(() => undefined),
  );
  return next;
}
