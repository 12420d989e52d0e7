import { HttpStatus } from '@nestjs/common';
import { StatusByCode } from '@playball/platform';

/** The auth app's error codes and their HTTP status; the only place the two meet. */
export const statusByCode: StatusByCode = {
  'USER.EMAIL_TAKEN': HttpStatus.CONFLICT,
  'USER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'AUTH.INVALID_CREDENTIALS': HttpStatus.UNAUTHORIZED,
};
