import { RemoveOptions, SaveOptions } from 'typeorm';
import { OutboxCaptureError } from '../errors';
import { OutboxEntry } from '../outbox';

/**
 * Declares, next to an entity, which of its changes are events. Each function returns the entries
 * to publish for that change (an empty list when the change is not an event, e.g. a password).
 *
 * `intent` is what the use case stated on the change (`withIntent`), for what no diff shows: why a
 * group was deleted, which version of its aggregate a membership change makes. It is `{}` when the
 * change was saved without one; a mapper that needs it says so loudly (`requireIntent`).
 */
export interface OutboxMapper<E extends object = object, I extends object = object> {
  readonly entity: abstract new (...args: never[]) => E;
  inserted?(entity: E, intent: Partial<I>): OutboxEntry[];
  updated?(entity: E, before: E, intent: Partial<I>): OutboxEntry[];
  removed?(entity: E, intent: Partial<I>): OutboxEntry[];
}

export function defineOutboxMapper<E extends object, I extends object = object>(
  mapper: OutboxMapper<E, I>,
): OutboxMapper<E, I> {
  return mapper;
}

/**
 * The save/remove options that state a change's intent to its entity's mapper, typed by that
 * mapper: `manager.remove(group, withIntent(groupOutboxMapper, { reason: 'last-member-left' }))`.
 * TypeORM hands `data` to the subscriber for the duration of that one save or remove.
 */
export function withIntent<E extends object, I extends object>(
  _mapper: OutboxMapper<E, I>,
  intent: NoInfer<Partial<I>>,
): SaveOptions & RemoveOptions {
  return { data: intent };
}

/** The intent's fields a mapper cannot do without; a change saved without them fails, and rolls back. */
export function requireIntent<I extends object, K extends keyof I>(
  entity: string,
  intent: Partial<I>,
  ...keys: K[]
): Pick<I, K> & Partial<I> {
  const missing = keys.filter((key) => intent[key] === undefined);
  if (missing.length > 0) {
    throw new OutboxCaptureError(
      'OUTBOX.MISSING_INTENT',
      `${entity} changes publish events that need ${missing.join(', ')}: save them withIntent(...)`,
    );
  }
  return intent as Pick<I, K> & Partial<I>;
}
