import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

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
