import { z } from 'zod';

/** A boolean variable: `true`/`false` or `1`/`0`, nothing looser, so a typo is an error. */
export const envFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const envPositiveInt = z.coerce.number().int().positive();
/** Digits only: coercing would read an empty variable (`X=`) as 0, silently turning a feature off. */
export const envNonNegativeInt = z
  .string()
  .trim()
  .regex(/^\d+$/, 'expected a whole number, 0 or more')
  .transform(Number);

/** Retentions are configured in hours (`*_RETENTION_HOURS`) and used in milliseconds. */
export const HOUR_MS = 60 * 60 * 1_000;
