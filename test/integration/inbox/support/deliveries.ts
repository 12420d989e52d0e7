import { KafkaContext } from '@nestjs/microservices';

/** The CloudEvents id of a delivered record, whether the transport kept headers as bytes or text. */
export function deliveredEventId(context: KafkaContext): string | undefined {
  const header = context.getMessage().headers?.ce_id;
  return (Array.isArray(header) ? header.at(-1) : header)?.toString();
}

/** Counts deliveries per event id, duplicates included. */
export class DeliveryLog {
  private readonly seen: string[] = [];

  readonly record = (context: KafkaContext): void => {
    const id = deliveredEventId(context);
    if (id) this.seen.push(id);
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
