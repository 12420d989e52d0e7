import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GroupManagementError } from '../errors';

/** What `If-Match` asks for: any current version (`*`), or one of the listed ones. */
export type IfMatch = { any: true } | { any: false; versions: number[] };

const strongTag = /^"(\d{1,9})"$|^(\d{1,9})$/;
const weakTag = /^W\/"[^"]*"$/;

/**
 * Parses `If-Match` (RFC 9110 §13.1.1): `*`, or a comma-separated list of entity tags such as
 * `"3"`; a bare `3` is taken as `"3"` (docs/design.md writes `If-Match: <version>`). The comparison is
 * strong, so a weak tag (`W/"3"`) is kept in the list but can never match. Undefined when the
 * header is not a list of entity tags.
 */
export function parseIfMatch(header: string): IfMatch | undefined {
  if (header.trim() === '*') return { any: true };
  const versions: number[] = [];
  for (const tag of header.split(',').map((t) => t.trim())) {
    const strong = strongTag.exec(tag);
    if (strong) versions.push(Number(strong[1] ?? strong[2]));
    else if (!weakTag.test(tag)) return undefined;
  }
  return { any: false, versions };
}

/**
 * Evaluates the request's `If-Match` against the group's current version. Called after the group
 * was found and the caller authorized: a precondition is only evaluated for a request that would
 * otherwise succeed (RFC 9110 §13.2.1), so a stranger learns nothing from a 412.
 *
 * With `required`, a missing header is 428 (RFC 6585): a change without it could silently
 * overwrite one the caller never saw. `*` is the caller's explicit choice to change any version.
 * A header that is not a list of entity tags cannot match: 412, like a stale version.
 */
export function requireMatch(header: string | undefined, currentVersion: number, { required = false } = {}): void {
  if (header === undefined || header.trim() === '') {
    if (!required) return;
    throw new GroupManagementError(
      'GROUP.VERSION_REQUIRED',
      'Send If-Match with the version of the group you changed.',
    );
  }
  const ifMatch = parseIfMatch(header);
  if (ifMatch?.any || ifMatch?.versions.includes(currentVersion)) return;
  throw new GroupManagementError(
    'GROUP.VERSION_MISMATCH',
    ifMatch
      ? `The group is at version ${currentVersion}, not ${ifMatch.versions.join(' or ') || 'a weak entity tag'}.`
      : 'If-Match does not name a version of this group.',
    { currentVersion },
  );
}

/** The request's raw `If-Match` header, for `requireMatch` once the group is loaded and authorized. */
export const IfMatchHeader = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const header: unknown = context.switchToHttp().getRequest().headers['if-match'];
  return typeof header === 'string' ? header : undefined;
});
