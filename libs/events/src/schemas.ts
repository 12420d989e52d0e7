import { z } from 'zod';

/** Building blocks shared by the payload schemas, so that an id means the same thing everywhere. */
export const id = z.uuid();
export const version = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const displayName = z.string().min(1).max(100);
export const groupName = z.string().min(1).max(100);
export const role = z.enum(['admin', 'member']);
