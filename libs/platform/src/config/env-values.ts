import { z } from 'zod';

/** A boolean variable: `true`/`false` or `1`/`0`, nothing looser, so a typo is an error. */
export const envFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const envPositiveInt = z.coerce.number().int().positive();
