import { OutboxEntry } from '../outbox';

/**
 * Declares, next to an entity, which of its changes are events. Each function returns the entries
 * to publish for that change (an empty list when the change is not an event, e.g. a password).
 */
export interface OutboxMapper<E extends object = object> {
  readonly entity: abstract new (...args: never[]) => E;
  inserted?(entity: E): OutboxEntry[];
  updated?(entity: E, before: E): OutboxEntry[];
  removed?(entity: E): OutboxEntry[];
}

export function defineOutboxMapper<E extends object>(mapper: OutboxMapper<E>): OutboxMapper<E> {
  return mapper;
}
