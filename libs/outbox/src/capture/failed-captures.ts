import { QueryRunner } from 'typeorm';
import { OutboxCaptureError } from '../errors';

/**
 * For each open transaction in which a change could not be captured, the outermost transaction
 * level (1 for the transaction, 2 for a savepoint in it, …) holding that change.
 *
 * Such a transaction must not commit. A mapper that throws or an event the contract refuses does
 * not abort the transaction in PostgreSQL, and the change's own SQL has run: a caller that catches
 * save()'s error and commits would keep the change without its event, and every other service's
 * view of it would diverge for good. Rolling back the savepoint that holds the change undoes it,
 * and lifts the refusal: a batch job that skips the items it cannot save gives each its own
 * (`manager.transaction` inside the transaction).
 */
const failedAt = new WeakMap<QueryRunner, number>();

/** TypeORM's own count of the transaction levels open on this query runner (not in its public type). */
function depthOf(queryRunner: QueryRunner): number {
  const depth = (queryRunner as unknown as { transactionDepth?: unknown }).transactionDepth;
  if (typeof depth !== 'number') throw new Error('the outbox needs TypeORM query runners to count transaction levels');
  return depth;
}

export function captureFailed(queryRunner: QueryRunner): void {
  const depth = depthOf(queryRunner);
  failedAt.set(queryRunner, Math.min(failedAt.get(queryRunner) ?? depth, depth));
}

/** Called before every commit, savepoints included: refuses the level that holds a failed capture. */
export function refuseCommitAfterFailedCapture(queryRunner: QueryRunner): void {
  const failed = failedAt.get(queryRunner);
  if (failed === undefined || failed < depthOf(queryRunner)) return;
  throw new OutboxCaptureError(
    'OUTBOX.CAPTURE_FAILED',
    'a change of this transaction could not be captured, and cannot commit without its event: roll back, ' +
      'or make each change a savepoint of its own (manager.transaction) and let the one that failed roll back',
  );
}

/** After a commit (the level was released into the one around it) or a rollback (the level is undone). */
export function transactionLevelClosed(queryRunner: QueryRunner, how: 'committed' | 'rolled back'): void {
  const failed = failedAt.get(queryRunner);
  if (failed === undefined) return;
  const depth = depthOf(queryRunner);
  if (failed <= depth) return;
  if (how === 'committed' && depth > 0) failedAt.set(queryRunner, depth);
  else failedAt.delete(queryRunner);
}
