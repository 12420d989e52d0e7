import { Message } from 'kafkajs';
import { topicName } from '@playball/events';
import { ClaimedRow } from '../sql/claim-batch';
import { partitionForKey } from './murmur2';

/** One topic partition's records of a claim, in claim order, in sends of at most its topic's send bytes. */
export interface PartitionSends {
  topic: string;
  partition: number;
  sends: RecordSend[];
}

/** The records of one send(), in claim order. */
export interface RecordSend {
  messages: Message[];
  /** The row of each message, in the same order. */
  rows: ClaimedRow[];
}

/**
 * The most record bytes one send() carries (`recordBytes`) to a topic that takes the broker's default
 * (`sendBytesFor` lowers it for a topic that takes less). The broker takes one partition's records
 * of a produce request as one record batch, and refuses a batch over `message.max.bytes` (1 MiB by
 * default) with MESSAGE_TOO_LARGE, which no retry cures: 3,000 rows of one key in one claim (about
 * 500 bytes each, 1.5 MB) stopped the relay for good. Three quarters of the default, counted
 * generously (`recordBytes` takes the most framing a record can have), leaves room for the batch's
 * own header. It is also the limit when a topic's own cannot be read. Half would have split most partitions
 * of a 5,000-row claim in two (about 830 records of ~600 counted bytes each), a second round trip
 * for each; at the contract's event sizes this is about 1,300 records a send.
 */
export const MAX_SEND_BYTES = 768 * 1024;

/**
 * The most record bytes one send() to a topic carries, from the topic's `max.message.bytes`: three
 * quarters of it, as MAX_SEND_BYTES is of the default, and never more than MAX_SEND_BYTES. A topic
 * set to take less than the default (an operator's choice, left as it is) would otherwise refuse
 * every send over its limit, and the relay would retry the same claim forever.
 */
export function sendBytesFor(maxMessageBytes: number | undefined): number {
  if (maxMessageBytes === undefined || !Number.isFinite(maxMessageBytes) || maxMessageBytes <= 0) return MAX_SEND_BYTES;
  return Math.min(MAX_SEND_BYTES, Math.floor(maxMessageBytes * 0.75));
}

/** Framing kafkajs writes per record (length, attributes, deltas, key and value lengths) and per header, at most. */
const RECORD_FRAMING_BYTES = 24;
const HEADER_FRAMING_BYTES = 10;

/**
 * Groups claimed rows by topic partition (each partition once), keeping claim order within each, with the partition
 * chosen by key as kafkajs's default partitioner and the Java clients would (murmur2: a key lands
 * on the same partition whoever produces it) and pinned on each record. A partition whose records
 * come to more than its topic's `sendBytesOf` gets several sends, in claim order: the publisher
 * sends them one after another.
 */
export function partitionRecords(
  rows: ClaimedRow[],
  topicPrefix: string,
  partitionsOf: (topic: string) => number,
  sendBytesOf: (topic: string) => number = () => MAX_SEND_BYTES,
): PartitionSends[] {
  const groups = new Map<string, { group: PartitionSends; last: RecordSend; bytes: number; maxBytes: number }>();
  for (const row of rows) {
    const topic = topicName(row.topic, topicPrefix);
    const partition = partitionForKey(row.key, partitionsOf(topic));
    const message: Message = { key: row.key, value: row.value, headers: row.headers, partition };
    const bytes = recordBytes(row);
    const id = `${topic}\u0000${partition}`;
    let current = groups.get(id);
    if (!current) {
      const first: RecordSend = { messages: [], rows: [] };
      current = { group: { topic, partition, sends: [first] }, last: first, bytes: 0, maxBytes: sendBytesOf(topic) };
      groups.set(id, current);
    } else if (current.bytes > 0 && current.bytes + bytes > current.maxBytes) {
      current.last = { messages: [], rows: [] };
      current.group.sends.push(current.last);
      current.bytes = 0;
    }
    current.last.messages.push(message);
    current.last.rows.push(row);
    current.bytes += bytes;
  }
  return [...groups.values()].map((g) => g.group);
}

/**
 * What a row's record takes in a record batch, counted generously: key, value, header names and
 * values in UTF-8, and their framing. A header value that is not a string (a row written by hand)
 * is counted as kafkajs sends it: null as nothing, anything else as its string.
 */
export function recordBytes(row: ClaimedRow): number {
  let bytes =
    RECORD_FRAMING_BYTES + Buffer.byteLength(row.key) + (row.value === null ? 0 : Buffer.byteLength(row.value));
  // for…in rather than Object.entries: no array per header on the relay's hot path.
  const headers = row.headers as Record<string, unknown>;
  for (const name in headers) {
    const value = headers[name];
    bytes += HEADER_FRAMING_BYTES + Buffer.byteLength(name) + (value == null ? 0 : Buffer.byteLength(String(value)));
  }
  return bytes;
}
