import {
  EntitySubscriberInterface,
  EventSubscriber,
  InsertEvent,
  ObjectLiteral,
  RecoverEvent,
  RemoveEvent,
  SoftRemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { OutboxCaptureError } from '../errors';
import { refuseCommitAfterFailedCapture, transactionLevelClosed } from './failed-captures';
import { OutboxMapper } from './outbox-mapper';
import { loadRow, rowAsWritten, rowBeingRemoved, serially } from './row';
import { forgetLocks, holdsLock } from './row-locks';
import { captureWithSave } from './save-batch';

/**
 * A TypeORM subscriber class that turns changes of mapped entities into outbox rows through the
 * change's own EntityManager, so the row commits or rolls back with the change. A save never moves
 * a mapped entity's @VersionColumn backwards (see keepDatabaseVersion).
 *
 * Mappers see the row as this transaction wrote it, read back by primary key after the write (we
 * hold its row lock then): `save` may be given a partial or stale object, `reload: false` leaves
 * the version unset, and the version a concurrent writer bumped is only known to the database.
 * A row the use case locked with lockForChange before the save needs no read-back: nothing else
 * could change it since TypeORM read it for the save, so that read plus what the save wrote and the
 * database returned is the row (rowAsWritten).
 *
 * The outbox rows of one save() go to the database in one INSERT (captureWithSave), before it returns.
 *
 * What the use case stated on the change (`withIntent`, TypeORM's save/remove `data`) reaches the
 * mapper as its intent; it is read when the hook fires, while TypeORM still holds that one call's data.
 *
 * Changes it cannot see whole are refused before they reach the database: bulk `update`/`delete`
 * (repository or QueryBuilder) carry no before-state to map, soft removal has no mapping, and any
 * change outside a transaction could commit without its event.
 */
export function outboxSubscriber(mappers: OutboxMapper[]): new () => EntitySubscriberInterface {
  const byEntity = new Map<unknown, OutboxMapper>(mappers.map((m) => [m.entity, m]));
  const mapperFor = (metadata: EntityMetadata) => byEntity.get(metadata.target);

  class OutboxSubscriber implements EntitySubscriberInterface {
    /** The row as it stood, locked, right before its delete (null: already gone, nothing to say). */
    private readonly removing = new WeakMap<object, { row: ObjectLiteral | null; intent: ObjectLiteral }>();

    beforeInsert(event: InsertEvent<ObjectLiteral>): void {
      if (mapperFor(event.metadata)) requireTransaction(event.metadata, event.queryRunner.isTransactionActive);
    }

    beforeUpdate(event: UpdateEvent<ObjectLiteral>): void {
      if (!mapperFor(event.metadata)) return;
      requireTransaction(event.metadata, event.queryRunner.isTransactionActive);
      if (!event.databaseEntity)
        refuse(event.metadata, 'a bulk update cannot be captured; load the entity and use save');
      keepDatabaseVersion(event);
    }

    async beforeRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
      const mapper = mapperFor(event.metadata);
      if (!mapper) return;
      requireTransaction(event.metadata, event.queryRunner.isTransactionActive);
      const removed = event.entity ?? event.databaseEntity;
      if (!removed) refuse(event.metadata, 'a bulk delete cannot be captured; load the entity and use remove');
      if (!mapper.removed) return;
      // Locked now, so no concurrent update slips in between this read and the delete: the
      // removal event's version follows the last version that was really committed.
      const intent = intentOf(event);
      const { databaseEntity } = event;
      const locked = databaseEntity && holdsLock(event.queryRunner, event.metadata, databaseEntity);
      const current =
        (locked ? rowBeingRemoved(event.metadata, databaseEntity) : undefined) ??
        (await serially(event.queryRunner, () =>
          loadRow(event.manager, event.metadata, databaseEntity ?? removed, { lock: true }),
        ));
      this.removing.set(removed, { row: current, intent });
    }

    beforeSoftRemove(event: SoftRemoveEvent<ObjectLiteral>): void {
      if (mapperFor(event.metadata))
        refuse(event.metadata, 'a soft remove has no mapping; use remove, or save a status column');
    }

    beforeRecover(event: RecoverEvent<ObjectLiteral>): void {
      if (mapperFor(event.metadata)) refuse(event.metadata, 'a recover has no mapping; save a status column instead');
    }

    async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
      const mapper = mapperFor(event.metadata);
      if (!mapper?.inserted) return;
      const inserted = mapper.inserted.bind(mapper);
      const intent = intentOf(event);
      await captureWithSave(event.queryRunner, event.manager, async () => {
        const row = await loadRow(event.manager, event.metadata, event.entity);
        return row ? inserted(row, intent) : [];
      });
    }

    async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
      const mapper = mapperFor(event.metadata);
      const before = event.databaseEntity;
      if (!mapper?.updated || !before) return;
      const updated = mapper.updated.bind(mapper);
      const intent = intentOf(event);
      const written = holdsLock(event.queryRunner, event.metadata, before) ? rowAsWritten(event) : undefined;
      await captureWithSave(event.queryRunner, event.manager, async () => {
        const row = written ?? (await loadRow(event.manager, event.metadata, before));
        return row ? updated(row, before, intent) : [];
      });
    }

    async afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
      const mapper = mapperFor(event.metadata);
      const key = event.entity ?? event.databaseEntity;
      if (!mapper?.removed || !key) return;
      const removing = this.removing.get(key);
      this.removing.delete(key);
      const map = mapper.removed.bind(mapper);
      const removed = removing?.row;
      if (removed) await captureWithSave(event.queryRunner, event.manager, () => map(removed, removing.intent));
    }

    beforeTransactionCommit(event: TransactionCommitEvent): void {
      refuseCommitAfterFailedCapture(event.queryRunner);
    }

    afterTransactionCommit(event: TransactionCommitEvent): void {
      forgetLocks(event.queryRunner);
      transactionLevelClosed(event.queryRunner, 'committed');
    }

    afterTransactionRollback(event: TransactionRollbackEvent): void {
      forgetLocks(event.queryRunner);
      transactionLevelClosed(event.queryRunner, 'rolled back');
    }
  }
  // A DataSource instantiates only the `subscribers` classes registered by @EventSubscriber(); an
  // undecorated class is silently skipped, and no change would ever reach the outbox.
  EventSubscriber()(OutboxSubscriber);
  return OutboxSubscriber;
}

/** The intent stated on this save or remove (`withIntent`); TypeORM's default is `{}`. */
function intentOf(event: { queryRunner: { data?: ObjectLiteral } }): ObjectLiteral {
  return event.queryRunner.data ?? {};
}

function requireTransaction(metadata: EntityMetadata, active: boolean): void {
  if (active) return;
  throw new OutboxCaptureError(
    'OUTBOX.NO_TRANSACTION',
    `${metadata.name} changes publish events and must run in a transaction (repository.save/remove, or manager.transaction)`,
  );
}

/**
 * TypeORM writes the version of a stale object back as it is (`set version = 1` over a row at 2),
 * moving the aggregate's sequence backwards. The version belongs to the database: taking the
 * loaded row's value drops it from the change set, so the UPDATE bumps the row's own version.
 */
function keepDatabaseVersion(event: UpdateEvent<ObjectLiteral>): void {
  const version = event.metadata.versionColumn;
  if (!version || !event.entity) return;
  version.setEntityValue(event.entity, version.getEntityValue(event.databaseEntity));
}

function refuse(metadata: EntityMetadata, why: string): never {
  throw new OutboxCaptureError('OUTBOX.UNTRACKED_CHANGE', `${metadata.name} changes publish events: ${why}`);
}
