import { HttpStatus } from '@nestjs/common';
import { AppError, PlatformErrorCode, StatusByCode } from '@playball/platform/http';

/** The group-management app's own error codes; with the platform's, the only ones it may throw. */
export type GroupManagementOwnErrorCode =
  | 'GROUP.NOT_FOUND'
  | 'GROUP.VERSION_MISMATCH'
  | 'GROUP.VERSION_REQUIRED'
  | 'GROUP.NOT_ADMIN'
  | 'GROUP.ALREADY_MEMBER'
  | 'MEMBER.NOT_FOUND'
  | 'USER.NOT_FOUND'
  | 'CONSISTENCY.PENDING';
export type GroupManagementErrorCode = GroupManagementOwnErrorCode | PlatformErrorCode;

/** The HTTP status of each of the app's codes (the platform maps its own); the only place the two meet. */
export const statusByCode = {
  'GROUP.NOT_FOUND': HttpStatus.NOT_FOUND,
  'GROUP.VERSION_MISMATCH': HttpStatus.PRECONDITION_FAILED,
  'GROUP.VERSION_REQUIRED': HttpStatus.PRECONDITION_REQUIRED,
  'GROUP.NOT_ADMIN': HttpStatus.FORBIDDEN,
  'GROUP.ALREADY_MEMBER': HttpStatus.CONFLICT,
  'MEMBER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'USER.NOT_FOUND': HttpStatus.NOT_FOUND,
  // The user view has not caught up with the caller's token yet: retry (Retry-After), nothing is wrong.
  'CONSISTENCY.PENDING': HttpStatus.SERVICE_UNAVAILABLE,
} as const satisfies StatusByCode<GroupManagementOwnErrorCode>;

export class GroupManagementError extends AppError<GroupManagementErrorCode> {}
