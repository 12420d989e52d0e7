import { Parser } from '@asyncapi/parser';
import { asyncApiDocument } from './asyncapi';
import { Events } from './registry';
import { deadLetterRetentionMs } from './topics';

interface Message {
  name: string;
  headers: { properties: Record<string, { const?: string }> };
}

function setup() {
  const document = asyncApiDocument();
  const messages = (document.components as { messages: Record<string, Message> }).messages;
  const channels = document.channels as Record<string, { address: string; description: string }>;
  return { document, messages: Object.values(messages), channels: Object.values(channels) };
}

describe('the AsyncAPI document', () => {
  it('is valid AsyncAPI 3 and lists every event of the contract, and the dead letter', async () => {
    const { document, messages } = setup();
    const { diagnostics } = await new Parser().parse(JSON.stringify(document));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors).toEqual([]);
    expect(messages.map((m) => m.name).sort()).toEqual([...Events.map((e) => e.type), 'dead-letter'].sort());
  });

  it("states each event's only source, its topic's owner", () => {
    const { messages } = setup();
    for (const event of Events) {
      const message = messages.find((m) => m.name === event.type)!;
      expect(message.headers.properties.ce_source.const).toBe(event.topic.owner);
      expect(message.headers.properties.ce_type.const).toBe(event.type);
    }
  });

  it("states the dead-letter topics' name and retention", () => {
    const { channels } = setup();
    const deadLetters = channels.find((c) => c.address === '{topic}.{consumerGroup}.dlq')!;
    expect(deadLetters.description).toContain(`retention.ms=${deadLetterRetentionMs}`);
  });

  it('lists credentialsVersion as an optional field of the user states, so older events stay valid', () => {
    const { document } = setup();
    const messages = (document.components as { messages: Record<string, { payload: Payload }> }).messages;
    for (const name of ['user_registered_v1', 'user_updated_v1']) {
      const { payload } = messages[name];
      expect(payload.properties.credentialsVersion).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
      expect(payload.required).not.toContain('credentialsVersion');
    }
  });
});

interface Payload {
  properties: Record<string, object>;
  required: string[];
}
