import { z } from 'zod';

/** Building blocks shared by the payload schemas, so that an id means the same thing everywhere. */
export const id = z.uuid();
export const version = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/**
 * The user's version at their last change of credentials (email, password): tokens issued at an
 * older version (`uv`) are void. Optional (added after v1 shipped): absent means 1, no change yet.
 */
export const credentialsVersion = version.describe(
  "The user's version at the last change of email or password; tokens issued at an older version are void. Absent: 1.",
);
export const displayName = z.string().min(1).max(100);
export const groupName = z.string().min(1).max(100);
export const role = z.enum(['admin', 'member']);
