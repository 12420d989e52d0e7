const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 of a key, as the Java clients and kafkajs's default partitioner compute it, in
 * 32-bit integer arithmetic. kafkajs's own goes through a 64-bit Long object per step: partitioning
 * a relay batch with it cost 12 µs of CPU per record here, more than a third of what sending it costs.
 */
export function murmur2(key: string): number {
  const data = Buffer.from(key);
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[length4 + 2] << 16;
  if (rest >= 2) h ^= data[length4 + 1] << 8;
  if (rest >= 1) h = Math.imul(h ^ data[length4], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/** The partition kafkajs's DefaultPartitioner (and the Java clients') give a keyed record. */
export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
