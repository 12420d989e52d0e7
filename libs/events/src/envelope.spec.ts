import { createEvent, fromKafkaRecord, InvalidEventError, toKafkaHeaders } from './envelope';
import { EventMap } from './registry';

const userId = '0192f5a4-1b2c-7d3e-8f40-123456789abc';

function record(overrides: Record<string, string | undefined> = {}, value?: string) {
  const event = createEvent('playball.user.registered.v1', { userId, displayName: 'Ada', version: 1 });
  return { headers: { ...toKafkaHeaders(event), ...overrides }, value: value ?? JSON.stringify(event.data), event };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof InvalidEventError ? error.code : `not an InvalidEventError: ${String(error)}`;
  }
  return undefined;
}

describe('the CloudEvents envelope', () => {
  it('round-trips an event through Kafka headers and a JSON value', () => {
    const { headers, value, event } = record();
    expect(headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'playball.user.registered.v1',
      ce_source: '/auth',
      ce_subject: userId,
      ce_sequence: '1',
      'content-type': 'application/json',
    });
    expect(headers.ce_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(fromKafkaRecord('auth.user.v1', headers, Buffer.from(value))).toEqual(event);
  });

  it('refuses to create an event whose data breaks the schema', () => {
    const bad = { userId: 'not-a-uuid', displayName: '', version: 0 } as EventMap['playball.user.registered.v1'];
    expect(() => createEvent('playball.user.registered.v1', bad)).toThrow();
  });

  it('refuses extra fields, so nothing private leaks onto the topic', () => {
    const leaky = { userId, displayName: 'Ada', version: 1, email: 'ada@example.com' };
    expect(() => createEvent('playball.user.registered.v1', leaky)).toThrow();
  });

  it.each([
    ['a value that is not JSON', {}, '{not json', 'EVENT.NOT_JSON'],
    ['an unknown type', { ce_type: 'playball.user.exploded.v1' }, undefined, 'EVENT.UNKNOWN_TYPE'],
    ['an unknown version of a known type', { ce_type: 'playball.user.registered.v9' }, undefined, 'EVENT.UNKNOWN_TYPE'],
    ['a missing id', { ce_id: undefined }, undefined, 'EVENT.MISSING_HEADER'],
    ['an id that is not a UUID', { ce_id: 'evt-42' }, undefined, 'EVENT.INVALID_ID'],
    ['another spec version', { ce_specversion: '0.3' }, undefined, 'EVENT.UNSUPPORTED_SPEC_VERSION'],
    ['a schema violation', {}, JSON.stringify({ userId, displayName: 42, version: 1 }), 'EVENT.SCHEMA_VIOLATION'],
    ['a sequence that disagrees with the data', { ce_sequence: '7' }, undefined, 'EVENT.HEADER_MISMATCH'],
    ['a source that does not own the topic', { ce_source: '/group-management' }, undefined, 'EVENT.WRONG_SOURCE'],
    ['a missing source', { ce_source: undefined }, undefined, 'EVENT.MISSING_HEADER'],
  ])('rejects %s with a stable code', (_, headers, value, code) => {
    const r = record(headers, value);
    expect(codeOf(() => fromKafkaRecord('auth.user.v1', r.headers, Buffer.from(r.value)))).toBe(code);
  });

  it('reads a record behind a deployment prefix as one of its topic', () => {
    const { headers, value, event } = record();
    expect(fromKafkaRecord('staging.auth.user.v1', headers, value)).toEqual(event);
  });

  it.each([
    ['the other topic of the contract', 'group-management.group.v1'],
    ['a topic outside the contract', 'auth.user.v2'],
    ["the topic's dead-letter topic", 'auth.user.v1.group-management.dlq'],
  ])('rejects a user event read from %s as EVENT.WRONG_TOPIC', (_, topic) => {
    const { headers, value } = record();
    expect(codeOf(() => fromKafkaRecord(topic, headers, value))).toBe('EVENT.WRONG_TOPIC');
  });

  it('rejects a group event on the user topic as EVENT.WRONG_TOPIC, even from its owner', () => {
    const groupId = '0192f5a4-1b2c-7d3e-8f40-cba987654321';
    const group = createEvent('playball.group.deleted.v1', { groupId, reason: 'deleted-by-admin', version: 2 });
    const headers = toKafkaHeaders(group);
    expect(group.source).toBe('/group-management');
    expect(codeOf(() => fromKafkaRecord('auth.user.v1', headers, JSON.stringify(group.data)))).toBe(
      'EVENT.WRONG_TOPIC',
    );
  });
});
