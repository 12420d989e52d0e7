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
