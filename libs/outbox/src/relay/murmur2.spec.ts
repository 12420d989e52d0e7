import { randomBytes, randomUUID } from 'node:crypto';
import { PartitionMetadata, Partitioners } from 'kafkajs';
import { partitionForKey } from './murmur2';

function metadata(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));
}

describe('partitionForKey', () => {
  it.each([1, 3, 6, 7, 64])('gives every key the partition kafkajs would give it among %i partitions', (count) => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const partitionMetadata = metadata(count);
    // Every tail length (0–3 bytes past a multiple of 4), multi-byte UTF-8, and the ids we use.
    const keys = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      'é',
      'ключ-🔑',
      ...Array.from({ length: 2_000 }, () => randomUUID()),
      ...Array.from({ length: 2_000 }, (_, i) => randomBytes(1 + (i % 40)).toString('base64')),
    ];
    for (const key of keys) {
      const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
      expect({ key, partition: partitionForKey(key, count) }).toEqual({ key, partition: expected });
    }
  });
});
