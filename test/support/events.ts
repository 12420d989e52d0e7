import { ReceivedRecord } from './kafka';

export interface PublishedEvent {
  id: string;
  type: string;
  key: string | null;
  subject: string;
  sequence: number;
  partition: number;
  offset: number;
  data: unknown;
}

/** The CloudEvents records among `records` (tombstones carry no `ce_*` headers). */
export function publishedEvents(records: ReceivedRecord[]): PublishedEvent[] {
  return records
    .filter((r) => r.headers.ce_id !== undefined)
    .map((r) => ({
      id: r.headers.ce_id,
      type: r.headers.ce_type,
      key: r.key,
      subject: r.headers.ce_subject,
      sequence: Number(r.headers.ce_sequence),
      partition: r.partition,
      offset: Number(r.offset),
      data: r.value === null ? null : JSON.parse(r.value.toString()),
    }));
}

/**
 * Per aggregate, the sequences in topic order, first delivery of each event only: at-least-once
 * allows a redelivered duplicate, never a reordering of first deliveries.
 */
export function sequencesByKey(events: PublishedEvent[]): Map<string, number[]> {
  const seen = new Set<string>();
  const byKey = new Map<string, number[]>();
  const inTopicOrder = [...events].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const e of inTopicOrder) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const key = e.key ?? '';
    byKey.set(key, [...(byKey.get(key) ?? []), e.sequence]);
  }
  return byKey;
}

export function isStrictlyIncreasing(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v > values[i - 1]);
}
