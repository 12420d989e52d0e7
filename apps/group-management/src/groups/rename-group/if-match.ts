import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError } from '@playball/platform';

/**
 * The version from `If-Match`, as `"3"`, `W/"3"` or `3`. Required: a rename without it could
 * silently overwrite a change the caller never saw (428, RFC 6585).
 */
export const IfMatchVersion = createParamDecorator((_: unknown, context: ExecutionContext): number => {
  const header: unknown = context.switchToHttp().getRequest().headers['if-match'];
  if (typeof header !== 'string' || header.trim() === '') {
    throw new AppError('GROUP.VERSION_REQUIRED', 'Send If-Match with the version of the group you changed.');
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) throw new AppError('GROUP.VERSION_MISMATCH', 'If-Match does not name a version of this group.');
  return Number(match[1]);
});
