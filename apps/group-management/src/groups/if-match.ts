import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError } from '@playball/platform';

/** What `If-Match` asks for: any current version (`*`), or one of the listed ones. */
export type IfMatch = { any: true } | { any: false; versions: number[] };

const strongTag = /^"(\d{1,9})"$|^(\d{1,9})$/;
const weakTag = /^W\/"[^"]*"$/;

/**
 * Parses `If-Match` (RFC 9110 §13.1.1): `*`, or a comma-separated list of entity tags such as
 * `"3"`; a bare `3` is taken as `"3"` (DESIGN.md writes `If-Match: <version>`). The comparison is
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

/** Throws 412 GROUP.VERSION_MISMATCH, with the current version, unless `ifMatch` matches it. */
export function requireMatch(ifMatch: IfMatch | undefined, currentVersion: number): void {
  if (!ifMatch || ifMatch.any || ifMatch.versions.includes(currentVersion)) return;
  const wanted = ifMatch.versions.length > 0 ? ifMatch.versions.join(' or ') : 'a weak entity tag';
  throw new AppError('GROUP.VERSION_MISMATCH', `The group is at version ${currentVersion}, not ${wanted}.`, {
    currentVersion,
  });
}

/**
 * The request's `If-Match`. With `required`, a missing header is 428 (RFC 6585): a change without
 * it could silently overwrite one the caller never saw. A header that is not a list of entity
 * tags cannot match any version: 412.
 */
export const IfMatchHeader = createParamDecorator(
  (options: { required: boolean }, context: ExecutionContext): IfMatch | undefined => {
    const header: unknown = context.switchToHttp().getRequest().headers['if-match'];
    if (typeof header !== 'string' || header.trim() === '') {
      if (!options.required) return undefined;
      throw new AppError('GROUP.VERSION_REQUIRED', 'Send If-Match with the version of the group you changed.');
    }
    const parsed = parseIfMatch(header);
    if (!parsed) throw new AppError('GROUP.VERSION_MISMATCH', 'If-Match does not name a version of this group.');
    return parsed;
  },
);
