import { HttpStatus } from '@nestjs/common';
import { StatusByCode } from '@playball/platform/http';

/** The group-management app's error codes and their HTTP status; the only place the two meet. */
export const statusByCode: StatusByCode = {
  'GROUP.NOT_FOUND': HttpStatus.NOT_FOUND,
  'GROUP.VERSION_MISMATCH': HttpStatus.PRECONDITION_FAILED,
  'GROUP.VERSION_REQUIRED': HttpStatus.PRECONDITION_REQUIRED,
  'GROUP.NOT_ADMIN': HttpStatus.FORBIDDEN,
  'GROUP.ALREADY_MEMBER': HttpStatus.CONFLICT,
  'MEMBER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'USER.NOT_FOUND': HttpStatus.NOT_FOUND,
};
