import { z } from 'zod';
import { EventDefinition } from './event-definition';
import { Events } from './registry';
import { deadLetterRetentionMs, Topics } from './topics';

const ceHeaders = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'ce_sequence', 'content-type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', format: 'uuid', description: 'Event id (UUIDv7); consumers dedupe by it.' },
    ce_source: { type: 'string', description: "The topic's owner; a record from any other source is dead-lettered." },
    ce_type: { type: 'string' },
    ce_subject: { type: 'string', description: 'Aggregate id; also the record key.' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_sequence: { type: 'string', pattern: '^[0-9]+$', description: 'Aggregate version, decimal.' },
    'content-type': { type: 'string', const: 'application/json' },
    traceparent: { type: 'string', description: 'W3C trace context, when a trace is active.' },
  },
};

/** The CloudEvents headers of one event type: its type, and its topic's owner as the only source. */
function headersOf(event: EventDefinition) {
  const properties = {
    ...ceHeaders.properties,
    ce_source: { ...ceHeaders.properties.ce_source, const: event.topic.owner },
    ce_type: { type: 'string', const: event.type },
  };
  return { ...ceHeaders, properties };
}

const days = (ms: number) => ms / (24 * 60 * 60 * 1000);

/** `<topic>.<consumer-group>.dlq`: what a consumer group parks there, and for how long. */
const deadLetterChannel = {
  address: '{topic}.{consumerGroup}.dlq',
  description:
    `Records a consumer group can never process. Retention: ${days(deadLetterRetentionMs)} days ` +
    `(cleanup.policy=delete, retention.ms=${deadLetterRetentionMs}, daily segments, so a letter is gone within ` +
    `${days(deadLetterRetentionMs) + 1} days), set when the consumer creates the topic. ` +
    'Key, value and headers of the original record, byte for byte, plus the dlq_* headers; nothing else.',
  parameters: {
    topic: { description: 'The topic the record was read from.', enum: Object.values(Topics).map((t) => t.name) },
    consumerGroup: { description: 'The consumer group that could not process it.' },
  },
  messages: { dead_letter: { $ref: '#/components/messages/dead_letter' } },
};

const deadLetterMessage = {
  name: 'dead-letter',
  title: 'A dead letter',
  summary: 'The original record and why it could never be processed.',
  headers: {
    type: 'object',
    required: ['dlq_error_code', 'dlq_error_reason', 'dlq_first_failure_time', 'dlq_original_topic'],
    additionalProperties: { type: 'string', description: "The original record's headers, unchanged." },
    properties: {
      dlq_error_code: { type: 'string', description: 'Stable reason code, e.g. EVENT.WRONG_SOURCE.' },
      dlq_error_reason: {
        type: 'string',
        maxLength: 1000,
        description: 'Human-readable reason, cut at 1,000 characters.',
      },
      dlq_first_failure_time: { type: 'string', format: 'date-time' },
      dlq_original_topic: { type: 'string' },
      dlq_original_partition: { type: 'string', pattern: '^[0-9]+$' },
      dlq_original_offset: { type: 'string', pattern: '^[0-9]+$' },
      dlq_omitted: {
        type: 'string',
        description: 'Set when the letter was too large: what was left out (value, headers, key).',
      },
    },
  },
  payload: { description: 'The original record value, byte for byte (absent when dlq_omitted names it).' },
};

/** The AsyncAPI 3.0 document of every topic and message, produced from the contract itself. */
export function asyncApiDocument(): Record<string, unknown> {
  const messageName = (type: string) => type.replace(/^playball\./, '').replace(/[.-]/g, '_');
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const [key, topic] of Object.entries(Topics)) {
    const events = Events.filter((e) => e.topic.name === topic.name);
    channels[key] = {
      address: topic.name,
      description:
        `Owner: ${topic.owner} (the only ce_source accepted, and the only principal with WRITE). ` +
        `Key: ${topic.key}. Topic config: ${JSON.stringify(topic.config)}.`,
      messages: Object.fromEntries(
        events.map((e) => [messageName(e.type), { $ref: `#/components/messages/${messageName(e.type)}` }]),
      ),
    };
    operations[`publish_${key}`] = {
      action: 'send',
      description: `Only ${topic.owner} publishes here; consumers dead-letter any other source or type.`,
      channel: { $ref: `#/channels/${key}` },
      messages: events.map((e) => ({ $ref: `#/channels/${key}/messages/${messageName(e.type)}` })),
    };
  }
  const messages = Object.fromEntries(
    Events.map((e) => [
      messageName(e.type),
      {
        name: e.type,
        title: e.type,
        summary: e.description,
        contentType: 'application/json',
        headers: headersOf(e),
        payload: z.toJSONSchema(e.schema, { target: 'draft-07' }),
        bindings: { kafka: { key: { type: 'string', format: 'uuid' }, bindingVersion: '0.5.0' } },
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'PlayBall integration events',
      // 1.1.0: user states gained the optional credentialsVersion.
      version: '1.1.0',
      description:
        'CloudEvents 1.0 over Kafka (binary content mode). Every payload is validated by producer and consumer.',
    },
    defaultContentType: 'application/json',
    channels: { ...channels, deadLetters: deadLetterChannel },
    operations: {
      ...operations,
      dead_letter: {
        action: 'send',
        description: 'A consumer group parks a record it can never process, then moves on.',
        channel: { $ref: '#/channels/deadLetters' },
        messages: [{ $ref: '#/channels/deadLetters/messages/dead_letter' }],
      },
    },
    components: { messages: { ...messages, dead_letter: deadLetterMessage } },
  };
}
