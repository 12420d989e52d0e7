/**
 * Whether a consumer's server has begun to close, for the inbox to read from each batch's context.
 * kafkajs's disconnect() waits for the batch in hand, and a standalone Nest microservice closes its
 * transport before any module hook runs, so a retry loop that only listened to Inbox.stop() would
 * hold the shutdown forever (a database that stays down). The server raises its signal before it
 * disconnects; the inbox gives the batch up (uncommitted, so it is redelivered).
 */
export class ClosingSignal {
  private closing = false;

  raise(): void {
    this.closing = true;
  }

  /** A server that listens again consumes again. */
  clear(): void {
    this.closing = false;
  }

  get isRaised(): boolean {
    return this.closing;
  }
}
