import { EntityManager, ObjectLiteral, QueryRunner } from 'typeorm';
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
