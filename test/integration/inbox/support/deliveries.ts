import { KafkaBatchContext } from '@playball/inbox';

/** The CloudEvents ids of a delivered batch's records, in offset order. */
export function deliveredEventIds(context: KafkaBatchContext): string[] {
  return context.getMessages().flatMap((message) => {
    const header = message.headers?.ce_id;
    const id = (Array.isArray(header) ? header.at(-1) : header)?.toString();
    return id === undefined ? [] : [id];
  });
}

/** Counts deliveries per event id, duplicates included, and keeps the batches they came in. */
export class DeliveryLog {
  private readonly seen: string[] = [];
  readonly batches: string[][] = [];

  readonly record = (context: KafkaBatchContext): void => {
    const ids = deliveredEventIds(context);
    this.batches.push(ids);
    this.seen.push(...ids);
  };

  count(eventId: string): number {
    return this.seen.filter((id) => id === eventId).length;
  }
}

/** A promise with its resolve and reject in hand. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
