import { ReceivedRecord } from '../support/kafka';
import { outOfOrderKeys } from './checks';

let offset = 0;
function record(topic: string, key: string, id: string, sequence: number): ReceivedRecord {
  return {
    topic,
    partition: 0,
    offset: String(offset++),
    key,
    value: Buffer.from('{}'),
    headers: { ce_id: id, ce_sequence: String(sequence) },
  };
}

describe('outOfOrderKeys', () => {
  it('accepts a republished batch that repeats events after newer ones', () => {
    const records = [
      record('users', 'u1', 'a', 1),
      record('users', 'u1', 'b', 2),
      record('users', 'u1', 'a', 1),
      record('users', 'u1', 'b', 2),
      record('users', 'u1', 'c', 3),
    ];
    expect(outOfOrderKeys(records)).toEqual([]);
  });

  it('names a key whose first deliveries go backwards', () => {
    const records = [record('users', 'u1', 'b', 2), record('users', 'u1', 'a', 1), record('users', 'u2', 'x', 1)];
    expect(outOfOrderKeys(records)).toEqual(['users/u1']);
  });

  it('judges each topic on its own, tombstones aside', () => {
    const tombstone: ReceivedRecord = { ...record('users', 'u1', 't', 0), value: null, headers: {} };
    const records = [record('users', 'u1', 'a', 1), tombstone, record('groups', 'u1', 'g', 1)];
    expect(outOfOrderKeys(records)).toEqual([]);
  });
});
