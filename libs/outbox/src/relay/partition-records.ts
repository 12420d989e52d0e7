import { Message } from 'kafkajs';
import { topicName } from '@playball/events';
import { ClaimedRow } from '../sql/claim-batch';
import { partitionForKey } from './murmur2';

/** The records of one send(): one topic, one partition, in claim order. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: Message[];
  /** The row of each message, in the same order. */
  rows: ClaimedRow[];
}

/**
 * Splits claimed rows into one batch per topic partition, keeping claim order within each, with the
 * partition chosen by key as kafkajs's default partitioner and the Java clients would (murmur2: a
 * key lands on the same partition whoever produces it) and pinned on each record.
 */
export function partitionRecords(
  rows: ClaimedRow[],
  topicPrefix: string,
  partitionsOf: (topic: string) => number,
): PartitionBatch[] {
  const batches = new Map<string, PartitionBatch>();
  for (const row of rows) {
    const topic = topicName(row.topic, topicPrefix);
    const partition = partitionForKey(row.key, partitionsOf(topic));
    const message: Message = { key: row.key, value: row.value, headers: row.headers, partition };
    const id = `${topic}\u0000${partition}`;
    const batch = batches.get(id) ?? { topic, partition, messages: [], rows: [] };
    batch.messages.push(message);
    batch.rows.push(row);
    batches.set(id, batch);
  }
  return [...batches.values()];
}
