import { randomUUID } from 'node:crypto';
import { createEvent, EventType, toKafkaHeaders, Topics } from '@playball/events';
import { OutboxPublishRefusedError } from '../errors';
import { TOMBSTONE_TYPE } from '../outbox';
import { ClaimedRow } from '../sql/claim-batch';
import { assertPublishable } from './publishable';

const userId = randomUUID();

function row(overrides: Partial<ClaimedRow> = {}, headers: Record<string, string> = {}): ClaimedRow {
  const event = createEvent('playball.user.updated.v1', { userId, displayName: 'Ada', version: 2 });
  return {
    id: '7',
    event_id: event.id,
    topic: Topics.user.name,
    key: userId,
    type: event.type as EventType,
    headers: { ...toKafkaHeaders(event), ...headers },
    value: JSON.stringify(event.data),
    ...overrides,
  };
}

function refusal(candidate: ClaimedRow): string | undefined {
  try {
    assertPublishable(candidate, [Topics.user]);
  } catch (error) {
    return error instanceof OutboxPublishRefusedError ? error.code : `unexpected: ${String(error)}`;
  }
  return undefined;
}

describe('assertPublishable, for a service that publishes auth.user.v1', () => {
  it('lets an event of its topic from its owner through, and a tombstone of its topic', () => {
    expect(refusal(row())).toBeUndefined();
    expect(refusal(row({ type: TOMBSTONE_TYPE, headers: {}, value: null }))).toBeUndefined();
  });

  it.each([
    ['a topic it does not publish', row({ topic: Topics.group.name }), 'OUTBOX.FOREIGN_TOPIC'],
    [
      'a tombstone of a topic it does not publish',
      row({ topic: Topics.group.name, type: TOMBSTONE_TYPE }),
      'OUTBOX.FOREIGN_TOPIC',
    ],
    ['an event of another topic filed under its own', row({ type: 'playball.group.deleted.v1' }), 'EVENT.WRONG_TOPIC'],
    ['another source', row({}, { ce_source: '/group-management' }), 'EVENT.WRONG_SOURCE'],
    [
      'a ce_type header that differs from the row',
      row({}, { ce_type: 'playball.user.deleted.v1' }),
      'EVENT.HEADER_MISMATCH',
    ],
    ['a type outside the contract', row({ type: 'playball.user.exploded.v1' }), 'EVENT.UNKNOWN_TYPE'],
  ])('refuses %s', (_, candidate, code) => {
    expect(refusal(candidate)).toBe(code);
  });
});
