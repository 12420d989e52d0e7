import { HttpStatus } from '@nestjs/common';
import { AppError, PlatformErrorCode, StatusByCode } from '@playball/platform/http';
import { ProblemExtensions } from '@playball/platform/openapi';

/** The group-management app's own error codes; with the platform's, the only ones it may throw. */
export type GroupManagementOwnErrorCode =
  | 'GROUP.NOT_FOUND'
  | 'GROUP.VERSION_MISMATCH'
  | 'GROUP.VERSION_REQUIRED'
  | 'GROUP.NOT_ADMIN'
  | 'GROUP.ALREADY_MEMBER'
  | 'MEMBER.NOT_FOUND'
  | 'USER.NOT_FOUND'
  | 'GROUP.QUOTA_EXCEEDED'
  | 'CONSISTENCY.PENDING';
export type GroupManagementErrorCode = GroupManagementOwnErrorCode | PlatformErrorCode;

/** The HTTP status of each of the app's codes (the platform maps its own); the only place the two meet. */
export const statusByCode = {
  'GROUP.NOT_FOUND': HttpStatus.NOT_FOUND,
  'GROUP.VERSION_MISMATCH': HttpStatus.PRECONDITION_FAILED,
  'GROUP.VERSION_REQUIRED': HttpStatus.PRECONDITION_REQUIRED,
  'GROUP.NOT_ADMIN': HttpStatus.FORBIDDEN,
  'GROUP.ALREADY_MEMBER': HttpStatus.CONFLICT,
  // 409: the request is fine, the state (a full group, a user in too many groups) refuses it.
  'GROUP.QUOTA_EXCEEDED': HttpStatus.CONFLICT,
  'MEMBER.NOT_FOUND': HttpStatus.NOT_FOUND,
  'USER.NOT_FOUND': HttpStatus.NOT_FOUND,
  // The user view has not caught up with the caller's token yet: retry (Retry-After), nothing is wrong.
  'CONSISTENCY.PENDING': HttpStatus.SERVICE_UNAVAILABLE,
} as const satisfies StatusByCode<GroupManagementOwnErrorCode>;

export class GroupManagementError extends AppError<GroupManagementErrorCode> {}

/** Members this app's problems carry besides RFC 9457's (if-match.ts), for the OpenAPI document. */
export const problemExtensions: ProblemExtensions = {
  'GROUP.VERSION_MISMATCH': {
    currentVersion: { type: 'integer', description: 'The group’s version now; send it in If-Match.', example: 3 },
  },
  'GROUP.QUOTA_EXCEEDED': {
    quota: {
      type: 'string',
      enum: ['groups-per-user', 'members-per-group'],
      description: 'Which quota (group-quotas.ts).',
      example: 'members-per-group',
    },
    limit: { type: 'integer', description: 'Its configured value.', example: 1000 },
  },
};
