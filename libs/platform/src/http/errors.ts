import { HttpStatus } from '@nestjs/common';
import { AppError } from './app-error';

/** The codes the platform raises (and both apps' bearer guards share); apps add their own in src/errors.ts. */
export type PlatformErrorCode =
  | 'REQUEST.INVALID'
  | 'REQUEST.MALFORMED_JSON'
  | 'REQUEST.TOO_LARGE'
  | 'REQUEST.UNSUPPORTED_MEDIA_TYPE'
  | 'AUTH.UNAUTHENTICATED'
  | 'SERVICE.UNAVAILABLE'
  // Raised by @playball/platform/throttling, which both apps use on their limited routes.
  | 'RATE_LIMITED';

/** The HTTP status of every platform code; a code without one does not compile. */
export const platformStatusByCode = {
  'REQUEST.INVALID': HttpStatus.BAD_REQUEST,
  'REQUEST.MALFORMED_JSON': HttpStatus.BAD_REQUEST,
  'REQUEST.TOO_LARGE': HttpStatus.PAYLOAD_TOO_LARGE,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  'AUTH.UNAUTHENTICATED': HttpStatus.UNAUTHORIZED,
  'SERVICE.UNAVAILABLE': HttpStatus.SERVICE_UNAVAILABLE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
} as const satisfies StatusByCode<PlatformErrorCode>;

/** HTTP status for each of an app's own codes: `satisfies StatusByCode<Code>` makes it complete. */
export type StatusByCode<Code extends string> = Record<Code, HttpStatus>;

export class PlatformError extends AppError<PlatformErrorCode> {}
