import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { Buffer } from 'node:buffer';

export interface DeadLetterReason {
  code: string;
  reason: string;
  firstFailureAt: Date;
}

/** Where a record was read: what a dead letter names as its origin. */
export interface RecordOrigin {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** The dead letter, then smaller forms of it for a topic that refuses it as too large. */
export function deadLetters(origin: RecordOrigin, why: DeadLetterReason): Message[] {
  const { message } = origin;
  const reason = deadLetterHeaders(origin, why);
  return [
    { key: message.key, value: message.value, headers: { ...(message.headers ?? {}), ...reason } },
    { key: message.key, value: null, headers: { ...(message.headers ?? {}), ...reason, dlq_omitted: 'value' } },
    { key: message.key, value: null, headers: { ...reason, dlq_omitted: 'value, headers' } },
    // Our headers alone are bounded (the reason is cut at 1,000 characters): this form always fits.
    { key: null, value: null, headers: { ...reason, dlq_omitted: 'value, headers, key' } },
  ];
}

/** kafkajs wraps the broker's MESSAGE_TOO_LARGE (a non-retriable protocol error) in `cause`s. */
export function isTooLarge(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if ((e as { type?: unknown }).type === 'MESSAGE_TOO_LARGE') return true;
  }
  return false;
}

function deadLetterHeaders({ topic, partition, message }: RecordOrigin, why: DeadLetterReason): IHeaders {
  return {
    dlq_error_code: why.code,
    dlq_error_reason: why.reason.slice(0, 1_000),
    dlq_first_failure_time: why.firstFailureAt.toISOString(),
    dlq_original_topic: topic,
    dlq_original_partition: String(partition),
    dlq_original_offset: message.offset,
  };
}

/** A dead letter read back: the reason, where the record came from, and the record as it was. */
export interface ParsedDeadLetter {
  code: string;
  reason: string;
  firstFailureAt: string;
  origin: { topic: string; partition: number; offset: string };
  /** What the letter left out to fit (`dlq_omitted`), if anything: such a letter cannot be replayed as it is. */
  omitted: string | null;
  /** The original record: its key, value and headers, the reason headers removed. */
  record: { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> };
}

const reasonHeader = /^dlq_/;

/** Reads what `deadLetters` wrote; null for a record that is not a dead letter (no reason headers). */
export function parseDeadLetter(message: Pick<Message, 'key' | 'value' | 'headers'>): ParsedDeadLetter | null {
  const text: Record<string, string> = {};
  const original: Record<string, Buffer> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value === undefined) continue;
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
    if (reasonHeader.test(name)) text[name] = bytes.toString();
    else original[name] = bytes;
  }
  if (text.dlq_error_code === undefined || text.dlq_original_topic === undefined) return null;
  return {
    code: text.dlq_error_code,
    reason: text.dlq_error_reason ?? '',
    firstFailureAt: text.dlq_first_failure_time ?? '',
    origin: {
      topic: text.dlq_original_topic,
      partition: Number(text.dlq_original_partition),
      offset: text.dlq_original_offset ?? '',
    },
    omitted: text.dlq_omitted ?? null,
    record: { key: bytes(message.key), value: bytes(message.value), headers: original },
  };
}

function bytes(value: Buffer | string | null | undefined): Buffer | null {
  return value === null || value === undefined ? null : Buffer.from(value);
}
