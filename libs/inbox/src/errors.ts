/** The inbox's own code in a dead letter's `dlq_error_code` (beside InvalidEventCode and the apps'). */
export type InboxErrorCode = 'HANDLER.FAILED';

/** Dead-lettered after maxUnclassifiedAttempts failures no rule classified. */
export const HANDLER_FAILED: InboxErrorCode = 'HANDLER.FAILED';

/**
 * Thrown by a handler for an event it can never apply (a business rule says no). The event goes to
 * the dead-letter topic and the partition moves on; retrying would fail the same way forever.
 */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Shared with the HTTP edge, which answers 503 for the same failures.
export { isTransient } from '@playball/platform/retry';
