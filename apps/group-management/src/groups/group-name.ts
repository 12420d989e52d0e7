import { z } from 'zod';

/** 1–100 printable characters after trimming: the contract's limit for group names. */
export const groupNameInput = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters');
