import { traceIdOf } from '../trace-context';

/** Where a record sits in Kafka. */
export interface RecordCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The fields of every log line about an event, the same names in every service, so one search by
 * event id (or trace id) finds its capture, publish, apply or dead letter.
 */
export function eventLogFields(
  event: { id?: string; type?: string; traceparent?: string },
  where?: RecordCoordinates,
): Record<string, string | number | undefined> {
  return {
    event_id: event.id,
    event_type: event.type,
    ...(where ? { topic: where.topic, partition: where.partition, offset: where.offset } : {}),
    trace_id: traceIdOf(event.traceparent),
  };
}
