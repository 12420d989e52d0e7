import { EntityManager, ObjectLiteral, QueryRunner, UpdateEvent } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
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
 * Column types whose value reads back exactly as TypeORM wrote it. Others (numeric and bigint come
 * back as strings, json is reordered, a timestamp without zone is shifted) are read back instead.
 */
const EXACT_TYPES = new Set<unknown>([
  'text',
  'varchar',
  'character varying',
  'uuid',
  'integer',
  'int',
  'int4',
  'smallint',
  'int2',
  'boolean',
  'bool',
  'timestamptz',
  'timestamp with time zone',
  'enum',
  String,
  Boolean,
]);

/** Whether a row can be told from TypeORM's own read and the save, or must be read back. */
function mappableWithoutReadBack(metadata: EntityMetadata): boolean {
  return metadata.eagerRelations.length === 0 && !metadata.deleteDateColumn && !metadata.treeType;
}

function exact(column: ColumnMetadata): boolean {
  return EXACT_TYPES.has(column.type) && !column.transformer && !column.isArray;
}

/** The entity's columns of `source`, without the relation ids TypeORM's loader adds. */
function columnsOf(metadata: EntityMetadata, pick: (column: ColumnMetadata) => ObjectLiteral): ObjectLiteral {
  const row = metadata.create() as ObjectLiteral;
  for (const column of metadata.columns) {
    if (!column.isVirtual) column.setEntityValue(row, column.getEntityValue(pick(column)));
  }
  return row;
}

/**
 * The row an update wrote, for a row locked (lockForChange) before the save: TypeORM's read before
 * the save (`databaseEntity`), the columns the save changed, and what the database returned (the
 * version, the update date). Undefined when that cannot be told without reading the row back: a
 * changed relation, a changed column whose value may read back differently, eager relations or
 * soft deletes (which a read-back treats its own way), a generated column, or a returned value the
 * save did not merge (`reload: false` leaves the update date and the version as they were).
 */
export function rowAsWritten(event: UpdateEvent<ObjectLiteral>): ObjectLiteral | undefined {
  const { metadata, entity, databaseEntity: before } = event;
  if (!entity || !before || event.updatedRelations.length > 0 || !mappableWithoutReadBack(metadata)) return undefined;
  // The UPDATE leaves out changed columns marked `update: false`.
  const written = new Set(event.updatedColumns.filter((column) => column.isUpdate));
  if ([...written].some((column) => !exact(column))) return undefined;
  for (const column of metadata.columns) {
    if (column.asExpression !== undefined) return undefined;
    if (column.isVersion && column.getEntityValue(entity) !== column.getEntityValue(before) + 1) return undefined;
    // The update date is the transaction's timestamp: equal to the one before only if the row was
    // written earlier in this transaction or the value was not merged; neither can be told apart.
    // Missing: a partial object saved without merging what came back.
    if (column.isUpdateDate) {
      const value: unknown = column.getEntityValue(entity);
      if (value === undefined || value === null || sameValue(value, column.getEntityValue(before))) return undefined;
    }
  }
  return columnsOf(metadata, (column) =>
    written.has(column) || column.isVersion || column.isUpdateDate ? entity : before,
  );
}

/** The row a removal deletes, for a row locked (lockForChange) before it: TypeORM's read for it. */
export function rowBeingRemoved(metadata: EntityMetadata, databaseEntity: ObjectLiteral): ObjectLiteral | undefined {
  return mappableWithoutReadBack(metadata) ? columnsOf(metadata, () => databaseEntity) : undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
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
