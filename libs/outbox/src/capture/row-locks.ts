import { EntityManager, EntityTarget, FindOptionsOrder, FindOptionsWhere, ObjectLiteral, QueryRunner } from 'typeorm';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** The rows each open transaction holds FOR UPDATE through lockForChange, by table and primary key. */
const held = new WeakMap<QueryRunner, Set<string>>();

/**
 * Loads an entity for a change, holding its row lock (FOR UPDATE) to the end of the transaction:
 * changes of one aggregate serialize, so their versions follow commit order.
 *
 * The capture also relies on it. A row locked this way cannot change under the transaction, so
 * TypeORM's own read before the save is the row as it stands. The outbox maps that read, plus what
 * the save wrote and what the database returned, and skips its read-back: one statement less per
 * change (a rename runs six instead of seven).
 */
export async function lockForChange<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  where: FindOptionsWhere<E>,
): Promise<E | null> {
  const row = await manager.findOne(entity, { where, lock: { mode: 'pessimistic_write' } });
  remember(manager, entity, row ? [row] : []);
  return row;
}

/**
 * lockForChange for every row `where` matches, in one statement: a batch of N changes takes its
 * locks in one round trip instead of N. The rows are locked in primary-key order (PostgreSQL locks
 * a sorted SELECT's rows after sorting them), so two batches that share rows wait for each other
 * instead of deadlocking; they come back in that order.
 */
export async function lockAllForChange<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  where: FindOptionsWhere<E>,
): Promise<E[]> {
  const metadata = manager.connection.getMetadata(entity);
  const order = Object.fromEntries(metadata.primaryColumns.map((column) => [column.propertyName, 'ASC']));
  const rows = await manager.find(entity, {
    where,
    order: order as FindOptionsOrder<E>,
    lock: { mode: 'pessimistic_write' },
  });
  remember(manager, entity, rows);
  return rows;
}

function remember<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, rows: E[]): void {
  const transaction = manager.queryRunner;
  if (rows.length === 0 || !transaction?.isTransactionActive) return;
  const metadata = manager.connection.getMetadata(entity);
  const keys = held.get(transaction) ?? new Set<string>();
  for (const row of rows) keys.add(rowKey(metadata, row));
  held.set(transaction, keys);
}

/** Whether this transaction locked the row with lockForChange and still holds that lock. */
export function holdsLock(transaction: QueryRunner, metadata: EntityMetadata, row: ObjectLiteral): boolean {
  return held.get(transaction)?.has(rowKey(metadata, row)) ?? false;
}

/**
 * Called at every commit and rollback, savepoints included: a rollback to a savepoint releases the
 * locks taken after it, and forgetting too early only costs a read-back.
 */
export function forgetLocks(transaction: QueryRunner): void {
  held.delete(transaction);
}

function rowKey(metadata: EntityMetadata, row: ObjectLiteral): string {
  return `${metadata.tablePath}\u0000${JSON.stringify(metadata.getEntityIdMap(row))}`;
}
