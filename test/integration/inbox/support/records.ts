import type { Message } from 'kafkajs';
import { CloudEvent, createEvent, InvalidEventCode, toKafkaHeaders } from '@playball/events';

/** The record the outbox relay would publish for the event: key, JSON data, CloudEvents headers. */
export function record(event: CloudEvent): Message {
  return { key: event.subject, value: JSON.stringify(event.data), headers: toKafkaHeaders(event) };
}

/** What the relay publishes when a user row is deleted on the compacted topic. */
export function tombstone(userId: string): Message {
  return { key: userId, value: null, headers: {} };
}

export const registered = (userId: string, version: number, displayName = `name v${version}`) =>
  createEvent('playball.user.registered.v1', { userId, displayName, version });

export const updated = (userId: string, version: number, displayName = `name v${version}`) =>
  createEvent('playball.user.updated.v1', { userId, displayName, version });

export const deleted = (userId: string, version: number) =>
  createEvent('playball.user.deleted.v1', { userId, version });

export const malformedKinds = [
  'not-json',
  'unknown-type',
  'unknown-version',
  'schema-violation',
  'missing-headers',
  'wrong-source',
  'wrong-topic',
] as const;
export type MalformedKind = (typeof malformedKinds)[number];

export const expectedCode: Record<MalformedKind, InvalidEventCode> = {
  'not-json': 'EVENT.NOT_JSON',
  'unknown-type': 'EVENT.UNKNOWN_TYPE',
  'unknown-version': 'EVENT.UNKNOWN_TYPE',
  'schema-violation': 'EVENT.SCHEMA_VIOLATION',
  'missing-headers': 'EVENT.MISSING_HEADER',
  'wrong-source': 'EVENT.WRONG_SOURCE',
  'wrong-topic': 'EVENT.WRONG_TOPIC',
};

/** A group event, valid on its own topic: on the user topic it is a wrong-topic record. */
export const groupDeleted = (groupId: string, version: number) =>
  createEvent('playball.group.deleted.v1', { groupId, reason: 'deleted-by-admin', version });

/** The event as someone other than its topic's owner would produce it: valid in every other way. */
export function forged(event: CloudEvent, source = '/mallory'): Message {
  const valid = record(event);
  return { ...valid, headers: { ...(valid.headers as Record<string, string>), ce_source: source } };
}

/**
 * A record of the user topic that can never be processed, marked with `x-test-marker` so that its
 * dead letter can be matched to it.
 */
export function malformedRecord(kind: MalformedKind, userId: string, marker: string): Message {
  const valid = record(updated(userId, 1));
  const headers = { ...(valid.headers as Record<string, string>), 'x-test-marker': marker };
  switch (kind) {
    case 'not-json':
      return { ...valid, headers, value: `{"userId": "${userId}", oops` };
    case 'unknown-type':
      return { ...valid, headers: { ...headers, ce_type: 'playball.user.exploded.v1' } };
    case 'unknown-version':
      return { ...valid, headers: { ...headers, ce_type: 'playball.user.updated.v9' } };
    case 'schema-violation':
      return { ...valid, headers, value: JSON.stringify({ userId, displayName: 42, version: 1 }) };
    case 'missing-headers':
      return { ...valid, headers: { 'content-type': 'application/json', 'x-test-marker': marker } };
    case 'wrong-source':
      return { ...valid, headers: { ...headers, ce_source: '/group-management' } };
    case 'wrong-topic': {
      const group = record(groupDeleted(userId, 1));
      return { ...group, headers: { ...(group.headers as Record<string, string>), 'x-test-marker': marker } };
    }
  }
}
