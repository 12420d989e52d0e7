import { z } from 'zod';
import { EventTopic } from './topics';

/**
 * One event type of the contract: its CloudEvents type (versioned), the topic it is published on
 * (whose owner is its `ce_source`: no other service may publish it), the schema of its `data`, and how to read the aggregate id (`ce_subject`, the record key) and the
 * aggregate version (`ce_sequence`) from the data.
 */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly topic: EventTopic;
  readonly description: string;
  readonly schema: Schema;
  subject(data: z.output<Schema>): string;
  sequence(data: z.output<Schema>): number;
}

export function defineEvent<Type extends string, Schema extends z.ZodType>(
  definition: EventDefinition<Type, Schema>,
): EventDefinition<Type, Schema> {
  return definition;
}
