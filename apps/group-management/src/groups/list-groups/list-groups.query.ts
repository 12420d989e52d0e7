import { z } from 'zod';

/** The most groups one page holds: a page renders every member of each group it lists. */
export const MAX_PAGE_SIZE = 100;

/**
 * A cursor is opaque to clients: base64url of the last id the previous page listed. Ids are UUIDv7,
 * so id order is creation order (to the millisecond) and stays stable while groups come and go.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

const cursorContent = z.strictObject({ after: z.uuid() });

const cursor = z.string().transform((value, context) => {
  try {
    return cursorContent.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))).after.toLowerCase();
  } catch {
    context.addIssue({ code: 'custom', message: 'is not a cursor this service issued' });
    return z.NEVER;
  }
});

export const listGroupsQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(50)
    .describe(`Groups per page, at most ${MAX_PAGE_SIZE}.`),
  cursor: cursor.optional().describe('`next` of the previous page; absent for the first page.'),
});
export type ListGroupsQuery = z.output<typeof listGroupsQuery>;
