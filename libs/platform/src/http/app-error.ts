/**
 * An error a client can act on. `code` is stable across releases and process boundaries
 * (`USER.EMAIL_TAKEN`, `GROUP.NOT_FOUND`); the HTTP status is chosen only at the HTTP edge.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
