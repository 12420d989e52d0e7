import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { EventDefinition } from './event-definition';
import { EventMap, EventType, eventDefinition } from './registry';
import { isTopic } from './topics';

/** A CloudEvents 1.0 event as the code sees it; on the wire, Kafka binding in binary mode. */
export interface CloudEvent<K extends EventType = EventType> {
  id: string;
  type: K;
  source: string;
  subject: string;
  time: string;
  sequence: number;
  data: EventMap[K];
  traceparent?: string;
}

export type KafkaHeaders = Record<string, string>;

const eventId = z.uuid();

/** The stable reasons an incoming record cannot be turned into an event. They name dead letters. */
export type InvalidEventCode =
  | 'EVENT.MISSING_HEADER'
  | 'EVENT.UNSUPPORTED_SPEC_VERSION'
  | 'EVENT.UNKNOWN_TYPE'
  | 'EVENT.WRONG_TOPIC'
  | 'EVENT.WRONG_SOURCE'
  | 'EVENT.NOT_JSON'
  | 'EVENT.SCHEMA_VIOLATION'
  | 'EVENT.HEADER_MISMATCH'
  | 'EVENT.INVALID_ID';

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';

  constructor(
    readonly code: InvalidEventCode,
    message: string,
  ) {
    super(message);
  }
}

/** Builds a validated event; throws if the data breaks the contract, so nothing invalid is stored. */
export function createEvent<K extends EventType>(
  type: K,
  data: EventMap[K],
  options: { id?: string; time?: Date; traceparent?: string } = {},
): CloudEvent<K> {
  const definition = eventDefinition(type);
  const parsed = definition.schema.parse(data);
  return {
    id: options.id ?? uuidv7(),
    type,
    source: definition.topic.owner,
    subject: definition.subject(parsed),
    time: (options.time ?? new Date()).toISOString(),
    sequence: definition.sequence(parsed),
    data: parsed,
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
  };
}

/** CloudEvents Kafka protocol binding, binary content mode: attributes in `ce_*` headers. */
export function toKafkaHeaders(event: CloudEvent): KafkaHeaders {
  return {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_subject: event.subject,
    ce_time: event.time,
    ce_sequence: String(event.sequence),
    'content-type': 'application/json',
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
  };
}

/**
 * Reads a record of `topic` (its name on the wire) back into an event, validating it against the
 * contract: who may say it (the type belongs to the topic, the source is the topic's owner), its
 * headers and its data. Throws InvalidEventError for anything that can never be processed
 * (dead-letter material).
 */
export function fromKafkaRecord(
  topic: string,
  headers: Record<string, string | undefined>,
  value: Buffer | string,
): CloudEvent {
  const header = (name: string): string => {
    const found = headers[name];
    if (found === undefined || found === '')
      throw new InvalidEventError('EVENT.MISSING_HEADER', `header ${name} is missing`);
    return found;
  };
  const specVersion = header('ce_specversion');
  if (specVersion !== '1.0') {
    throw new InvalidEventError('EVENT.UNSUPPORTED_SPEC_VERSION', `ce_specversion ${specVersion} is not 1.0`);
  }
  const type = header('ce_type');
  checkSpeaker(topic, type, header('ce_source'));
  const definition: EventDefinition = eventDefinition(type)!;

  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    throw new InvalidEventError('EVENT.NOT_JSON', 'the value is not JSON');
  }
  const parsed = definition.schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InvalidEventError('EVENT.SCHEMA_VIOLATION', `${type} data is invalid: ${issues}`);
  }
  const id = header('ce_id');
  // Consumers dedupe by this id in a uuid column; anything else could never be recorded.
  if (!eventId.safeParse(id).success) throw new InvalidEventError('EVENT.INVALID_ID', `ce_id ${id} is not a UUID`);
  const event: CloudEvent = {
    id,
    type: type as EventType,
    source: definition.topic.owner,
    subject: header('ce_subject'),
    time: header('ce_time'),
    sequence: Number(header('ce_sequence')),
    data: parsed.data as EventMap[EventType],
    ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
  };
  // The headers are what consumers order and dedupe by; they must agree with the data they describe.
  if (event.subject !== definition.subject(parsed.data) || event.sequence !== definition.sequence(parsed.data)) {
    throw new InvalidEventError('EVENT.HEADER_MISMATCH', 'ce_subject/ce_sequence disagree with the data');
  }
  return event;
}

/**
 * Whether `source` may publish an event of `type` on `topic` (its name on the wire): the type
 * belongs to the topic and the source is the topic's owner. Consumers check it before reading the
 * data, since a valid event from the wrong speaker would rewrite their state (versions are no
 * defence: a compacted topic legitimately skips them); producers check it before publishing.
 */
export function checkSpeaker(topic: string, type: string, source: string | undefined): void {
  const definition = eventDefinition(type);
  if (!definition) throw new InvalidEventError('EVENT.UNKNOWN_TYPE', `ce_type ${type} is not in the contract`);
  if (!isTopic(topic, definition.topic)) {
    throw new InvalidEventError('EVENT.WRONG_TOPIC', `${type} belongs on ${definition.topic.name}, not on ${topic}`);
  }
  if (source !== definition.topic.owner) {
    throw new InvalidEventError(
      'EVENT.WRONG_SOURCE',
      `ce_source ${String(source).slice(0, 100)} does not own ${definition.topic.name} (${definition.topic.owner} does)`,
    );
  }
}
