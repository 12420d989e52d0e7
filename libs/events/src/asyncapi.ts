import { z } from 'zod';
import { Events } from './registry';
import { Topics } from './topics';

const ceHeaders = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time', 'ce_sequence', 'content-type'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', format: 'uuid', description: 'Event id (UUIDv7); consumers dedupe by it.' },
    ce_source: { type: 'string' },
    ce_type: { type: 'string' },
    ce_subject: { type: 'string', description: 'Aggregate id; also the record key.' },
    ce_time: { type: 'string', format: 'date-time' },
    ce_sequence: { type: 'string', pattern: '^[0-9]+$', description: 'Aggregate version, decimal.' },
    'content-type': { type: 'string', const: 'application/json' },
    traceparent: { type: 'string', description: 'W3C trace context, when a trace is active.' },
  },
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
      description: `Key: ${topic.key}. Topic config: ${JSON.stringify(topic.config)}.`,
      messages: Object.fromEntries(
        events.map((e) => [messageName(e.type), { $ref: `#/components/messages/${messageName(e.type)}` }]),
      ),
    };
    operations[`publish_${key}`] = {
      action: 'send',
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
        headers: ceHeaders,
        payload: z.toJSONSchema(e.schema, { target: 'draft-07' }),
        bindings: { kafka: { key: { type: 'string', format: 'uuid' }, bindingVersion: '0.5.0' } },
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'PlayBall integration events',
      version: '1.0.0',
      description:
        'CloudEvents 1.0 over Kafka (binary content mode). Every payload is validated by producer and consumer.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
