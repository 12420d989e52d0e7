import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EntityManager } from 'typeorm';
import { CloudEvent, Topics } from '@playball/events';
import {
  applyAllIfNewer,
  applyIfNewer,
  BatchHandler,
  EventHandlers,
  Inbox,
  InboxModule,
  InboxModuleOptions,
  KafkaBatchContext,
} from '@playball/inbox';

/** Ways a test looks into or interferes with the consumer, around the inbox. */
export interface ConsumerHooks {
  /** The consumer's handlers; by default it keeps `user_state` for all three user events. */
  handlers?: EventHandlers;
  /** A set-based handler instead of `handlers` (see stateBatchHandler). */
  batchHandler?: BatchHandler<UserEventType>;
  /** Sees every delivered batch, duplicates included, before the inbox does. */
  onDelivery?: (context: KafkaBatchContext) => void;
  /** Runs after consume() resolved (its transaction committed) and before the batch's offset is committed. */
  afterConsume?: (context: KafkaBatchContext) => Promise<void>;
}

const HOOKS = Symbol('HOOKS');

/** Keeps `user_state` with applyIfNewer and logs every applied handler run in `effects`. */
export const stateHandlers = {
  'playball.user.registered.v1': (event, manager) => applyState(manager, event, { name: event.data.displayName }),
  'playball.user.updated.v1': (event, manager) => applyState(manager, event, { name: event.data.displayName }),
  'playball.user.deleted.v1': (event, manager) => applyState(manager, event, { name: null }, true),
} satisfies EventHandlers;

async function applyState(manager: EntityManager, event: CloudEvent, values: Record<string, unknown>, deleted = false) {
  const changed = await applyIfNewer(manager, {
    table: 'user_state',
    id: event.subject,
    version: event.sequence,
    values,
    deleted,
  });
  await manager.query(`insert into effects (event_id, user_id, version, type, changed) values ($1, $2, $3, $4, $5)`, [
    event.id,
    event.subject,
    event.sequence,
    event.type,
    changed,
  ]);
}

const userEventTypes = ['playball.user.registered.v1', 'playball.user.updated.v1', 'playball.user.deleted.v1'] as const;
export type UserEventType = (typeof userEventTypes)[number];

/** stateHandlers set-based, as an app applies a batch: one statement per round, one insert of effects. */
export const stateBatchHandler: BatchHandler<UserEventType> = {
  types: userEventTypes,
  apply: async (events, manager) => {
    const deleted = events.map((e) => e.type === 'playball.user.deleted.v1');
    const changed = await applyAllIfNewer(
      manager,
      'user_state',
      events.map((e, i) => ({
        id: e.subject,
        version: e.sequence,
        values: { name: e.type === 'playball.user.deleted.v1' ? null : e.data.displayName },
        deleted: deleted[i],
      })),
    );
    await manager.query(
      `insert into effects (event_id, user_id, version, type, changed)
       select * from unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::boolean[])`,
      [
        events.map((e) => e.id),
        events.map((e) => e.subject),
        events.map((e) => e.sequence),
        events.map((e) => e.type),
        changed,
      ],
    );
  },
};

/** A consumer of auth.user.v1 written the way an app writes one: a thin controller over the inbox. */
@Controller()
class UserEventsTestConsumer {
  constructor(
    private readonly inbox: Inbox,
    @Inject(HOOKS) private readonly hooks: ConsumerHooks,
  ) {}

  @EventPattern(Topics.user.name)
  async onUserEvents(@Ctx() context: KafkaBatchContext): Promise<void> {
    this.hooks.onDelivery?.(context);
    if (this.hooks.batchHandler) await this.inbox.consumeBatch(context, this.hooks.batchHandler);
    else await this.inbox.consume(context, this.hooks.handlers ?? stateHandlers);
    await this.hooks.afterConsume?.(context);
  }
}

@Module({})
export class TestConsumerModule {
  static forRoot(databaseUrl: string, inbox: InboxModuleOptions, hooks: ConsumerHooks): DynamicModule {
    return {
      module: TestConsumerModule,
      imports: [
        // The schema comes from migrations run in setup; no synchronize.
        TypeOrmModule.forRoot({ type: 'postgres', url: databaseUrl, logging: false, retryAttempts: 0 }),
        InboxModule.forRootAsync({ useFactory: () => inbox }),
      ],
      controllers: [UserEventsTestConsumer],
      providers: [{ provide: HOOKS, useValue: hooks }],
    };
  }
}
