import { EntityManager, QueryRunner } from 'typeorm';
import { addToOutbox, OutboxEntry } from '../outbox';
import { captureFailed } from './failed-captures';
import { serially } from './row';

interface SaveBatch {
  readonly entries: OutboxEntry[];
  /** The first change of this save that could not be mapped: the batch writes nothing, and fails with it. */
  failure?: { error: unknown };
  written: Promise<void>;
}

/** The batch each query runner is filling, until its write starts. */
const filling = new WeakMap<QueryRunner, SaveBatch>();

/**
 * Captures one entity's change into the outbox together with the other changes of the same save():
 * one INSERT for a save of N entities instead of N. TypeORM calls the after-hooks of every entity a
 * save wrote in one synchronous loop, then awaits them all. Each hook's capture queues on the query
 * runner (serially), so when the first of them runs, all the others of that save are queued behind
 * it; the first opens the batch and queues its write after them. Ten renames saved together run 24
 * statements instead of 33 (begin, ten locks, save()'s read, ten updates, one insert, commit).
 *
 * Every hook settles only once the batch's write has run or failed, so save() cannot fail
 * while a capture of it is still queued: TypeORM rolls back as soon as a hook fails, and a capture
 * running after that ROLLBACK would commit its outbox row on its own, an event for a change that
 * never happened. A change that cannot be mapped (a mapper throws, a read-back fails) leaves the
 * batch unwritten, and an event the contract refuses fails its write: either way every hook of the
 * save fails with that first error, so no change of it can pass for captured.
 *
 * `produce` maps the change (reading the row back if it must); the entries keep the order of the
 * entities in the save, and an empty list adds nothing.
 */
export async function captureWithSave(
  queryRunner: QueryRunner,
  manager: EntityManager,
  produce: () => OutboxEntry[] | Promise<OutboxEntry[]>,
): Promise<void> {
  const batch = await serially(queryRunner, async () => {
    const batch = filling.get(queryRunner) ?? open(queryRunner, manager);
    try {
      batch.entries.push(...(await produce()));
    } catch (error) {
      batch.failure ??= { error };
    }
    return batch;
  });
  try {
    await batch.written;
  } catch (error) {
    captureFailed(queryRunner);
    throw error;
  }
}

function open(queryRunner: QueryRunner, manager: EntityManager): SaveBatch {
  const batch: SaveBatch = { entries: [], written: Promise.resolve() };
  filling.set(queryRunner, batch);
  batch.written = serially(queryRunner, async () => {
    filling.delete(queryRunner);
    if (batch.failure) throw batch.failure.error;
    await addToOutbox(manager, batch.entries);
  });
  return batch;
}
