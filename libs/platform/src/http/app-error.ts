/**
 * An error a client can act on. `code` is stable across releases and process boundaries
 * (`USER.EMAIL_TAKEN`, `GROUP.NOT_FOUND`); the HTTP status is chosen only at the HTTP edge.
 *
 * Typed by the codes of whoever throws it: each app (and the platform) declares its codes in one
 * file and throws its own subclass (`class AuthError extends AppError<AuthErrorCode> {}`). A bare
 * `new AppError('X', …)` does not compile (Code defaults to never and is not inferred), so neither
 * does a typo.
 */
export class AppError<Code extends string = never> extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: NoInfer<Code>,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
