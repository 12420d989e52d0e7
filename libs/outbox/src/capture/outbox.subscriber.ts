import { EntitySubscriberInterface, InsertEvent, ObjectLiteral, RemoveEvent, UpdateEvent } from 'typeorm';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { addToOutbox } from '../outbox';
import { OutboxMapper } from './outbox-mapper';

export class OutboxCaptureError extends Error {
  override readonly name = 'OutboxCaptureError';

  constructor(
    readonly code: 'OUTBOX.NO_TRANSACTION' | 'OUTBOX.UNTRACKED_CHANGE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A TypeORM subscriber class that turns changes of mapped entities into outbox rows through the
 * change's own EntityManager, so the row commits or rolls back with the change.
 *
 * Changes it cannot see whole are refused before they reach the database: bulk
 * `update`/`delete` (repository or QueryBuilder) carry no before-state to map, and any change
 * outside a transaction could commit without its event.
 */
export function outboxSubscriber(mappers: OutboxMapper[]): new () => EntitySubscriberInterface {
  const byEntity = new Map<unknown, OutboxMapper>(mappers.map((m) => [m.entity, m]));
  const mapperFor = (metadata: EntityMetadata) => byEntity.get(metadata.target);

  return class OutboxSubscriber implements EntitySubscriberInterface {
    beforeInsert(event: InsertEvent<ObjectLiteral>): void {
      if (mapperFor(event.metadata)) requireTransaction(event.metadata, event.queryRunner.isTransactionActive);
    }

    beforeUpdate(event: UpdateEvent<ObjectLiteral>): void {
      if (!mapperFor(event.metadata)) return;
      requireTransaction(event.metadata, event.queryRunner.isTransactionActive);
      if (!event.databaseEntity) refuseUntracked(event.metadata, 'update');
    }

    beforeRemove(event: RemoveEvent<ObjectLiteral>): void {
      if (!mapperFor(event.metadata)) return;
      requireTransaction(event.metadata, event.queryRunner.isTransactionActive);
      if (!event.entity && !event.databaseEntity) refuseUntracked(event.metadata, 'delete');
    }

    async afterInsert(event: InsertEvent<ObjectLiteral>): Promise<void> {
      const mapper = mapperFor(event.metadata);
      if (mapper?.inserted) await addToOutbox(event.manager, mapper.inserted(event.entity));
    }

    async afterUpdate(event: UpdateEvent<ObjectLiteral>): Promise<void> {
      const mapper = mapperFor(event.metadata);
      if (!mapper?.updated || !event.databaseEntity) return;
      // `save` may be given a partial object; the mapper sees the whole entity after the change.
      const after = { ...event.databaseEntity, ...event.entity };
      await addToOutbox(event.manager, mapper.updated(after, event.databaseEntity));
    }

    async afterRemove(event: RemoveEvent<ObjectLiteral>): Promise<void> {
      const mapper = mapperFor(event.metadata);
      // TypeORM strips the id from a removed entity; the state loaded before removal still has it.
      if (mapper?.removed) await addToOutbox(event.manager, mapper.removed({ ...event.entity, ...event.databaseEntity }));
    }
  };
}

function requireTransaction(metadata: EntityMetadata, active: boolean): void {
  if (active) return;
  throw new OutboxCaptureError(
    'OUTBOX.NO_TRANSACTION',
    `${metadata.name} changes publish events and must run in a transaction (repository.save/remove, or manager.transaction)`,
  );
}

function refuseUntracked(metadata: EntityMetadata, operation: string): never {
  throw new OutboxCaptureError(
    'OUTBOX.UNTRACKED_CHANGE',
    `${metadata.name} changes publish events: a bulk ${operation} cannot be captured; load the entity and use save/remove`,
  );
}
