import { HttpStatus } from '@nestjs/common';
import { StatusByCode } from '@playball/platform/http';

/**
 * The auth app's error codes and their HTTP status; the only place the two meet. The shared codes
 * (REQUEST.*, AUTH.UNAUTHENTICATED, RATE_LIMITED) are mapped by the platform's ProblemFilter.
 */
export const statusByCode: StatusByCode = {
  'USER.EMAIL_TAKEN': HttpStatus.CONFLICT,
  'USER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'AUTH.INVALID_CREDENTIALS': HttpStatus.UNAUTHORIZED,
  // 403, not 401: the caller is authenticated, and a 401 would tell clients to drop their token.
  'USER.CURRENT_PASSWORD_INCORRECT': HttpStatus.FORBIDDEN,
};
