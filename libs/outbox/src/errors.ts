import type { InvalidEventCode } from '@playball/events';

/** The outbox's error codes, all of them: what capture refuses, and why the relay refuses a row. */
export type OutboxCaptureCode =
  'OUTBOX.NO_TRANSACTION' | 'OUTBOX.UNTRACKED_CHANGE' | 'OUTBOX.MISSING_INTENT' | 'OUTBOX.CAPTURE_FAILED';
export type OutboxRefusalCode = 'OUTBOX.FOREIGN_TOPIC' | InvalidEventCode;

/**
 * A change the outbox cannot capture. The refusals (`NO_TRANSACTION`, `UNTRACKED_CHANGE`) come
 * before the change reaches the database, `MISSING_INTENT` from its mapper while it is captured
 * (the save fails), and `CAPTURE_FAILED` at the commit of a transaction that still holds a change
 * whose capture failed.
 */
export class OutboxCaptureError extends Error {
  override readonly name = 'OutboxCaptureError';

  constructor(
    readonly code: OutboxCaptureCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An outbox row this service may not publish: a topic it does not own, or an event the contract
 * puts on another topic or credits to another service. The relay publishes none of its batch,
 * records this on the rows (`last_error`) and retries: nothing is skipped (order), and the growing
 * backlog shows in /health until an operator fixes or deletes the row.
 */
export class OutboxPublishRefusedError extends Error {
  override readonly name = 'OutboxPublishRefusedError';

  constructor(
    readonly code: OutboxRefusalCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
