import { EntityManager } from 'typeorm';
import { CloudEvent, EventType } from '@playball/events';
import { runInTrace } from '@playball/platform/observability';

/** A validated event of any of the types K, narrowed by its `type`. */
export type CloudEventOf<K extends EventType> = K extends EventType ? CloudEvent<K> : never;

/**
 * What a handler receives: the validated event (data and metadata) and its transaction. What it
 * returns is ignored, so it may simply return what it called (applyIfNewer's boolean, say).
 */
export type EventHandler<K extends EventType> = (event: CloudEvent<K>, manager: EntityManager) => Promise<unknown>;
export type EventHandlers = { [K in EventType]?: EventHandler<K> };

/**
 * A handler for many events at once: every event of the batch of one of `types` that this consumer
 * has not applied yet, in offset order (so a key's events in publishing order), and the one
 * transaction they share. It may apply them set-based (see applyAllIfNewer). It runs in no trace:
 * work that publishes events runs each event's part in `runInTrace(event.traceparent, ...)`.
 */
export interface BatchHandler<K extends EventType> {
  types: readonly K[];
  apply(events: CloudEventOf<K>[], manager: EntityManager): Promise<unknown>;
}

/** A failure a batch handler can pin on one event; the inbox then isolates that event at once. */
export class EventFailure extends Error {
  override readonly name = 'EventFailure';

  constructor(
    readonly event: CloudEvent,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Per-event handlers as a batch handler: each event in turn, in its own trace. */
export function eachEvent(handlers: EventHandlers): BatchHandler<EventType> {
  return {
    types: Object.keys(handlers) as EventType[],
    apply: async (events, manager) => {
      for (const event of events) {
        const handler = handlers[event.type] as EventHandler<EventType>;
        try {
          // In the event's trace: what the handler publishes carries the same trace id.
          await runInTrace(event.traceparent, () => handler(event, manager));
        } catch (error) {
          throw new EventFailure(event, error);
        }
      }
    },
  };
}
