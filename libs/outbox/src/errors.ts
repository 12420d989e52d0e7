/** A change the outbox cannot capture; thrown before anything reaches the database. */
export class OutboxCaptureError extends Error {
  override readonly name = 'OutboxCaptureError';

  constructor(
    readonly code: 'OUTBOX.NO_TRANSACTION' | 'OUTBOX.UNTRACKED_CHANGE',
    message: string,
  ) {
    super(message);
  }
}
