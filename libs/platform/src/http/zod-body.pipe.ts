import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { PlatformError } from './errors';

/**
 * Validates a request part against a zod schema and returns the parsed value.
 * Schemas are strict objects, so unknown fields are rejected rather than silently dropped.
 */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new PlatformError('REQUEST.INVALID', 'The request is not valid.', {
      errors: result.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    });
  }
}
