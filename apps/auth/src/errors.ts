import { HttpStatus } from '@nestjs/common';
import { AppError, PlatformErrorCode, StatusByCode } from '@playball/platform/http';

/** The auth app's own error codes; with the platform's, the only ones it may throw. */
export type AuthOwnErrorCode =
  'USER.EMAIL_TAKEN' | 'USER.NOT_FOUND' | 'USER.CURRENT_PASSWORD_INCORRECT' | 'AUTH.INVALID_CREDENTIALS' | 'AUTH.BUSY';
export type AuthErrorCode = AuthOwnErrorCode | PlatformErrorCode;

/** The HTTP status of each of auth's codes (the platform maps its own); the only place the two meet. */
export const statusByCode = {
  'USER.EMAIL_TAKEN': HttpStatus.CONFLICT,
  'USER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'AUTH.INVALID_CREDENTIALS': HttpStatus.UNAUTHORIZED,
  // 403, not 401: the caller is authenticated, and a 401 would tell clients to drop their token.
  'USER.CURRENT_PASSWORD_INCORRECT': HttpStatus.FORBIDDEN,
  // Too many password hashes waiting (PASSWORD_HASH_QUEUE): the request may be retried as it is.
  'AUTH.BUSY': HttpStatus.SERVICE_UNAVAILABLE,
} as const satisfies StatusByCode<AuthOwnErrorCode>;

export class AuthError extends AppError<AuthErrorCode> {}
