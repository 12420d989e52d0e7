import { Topics } from '@playball/events';
import { ClaimedRow } from '../sql/claim-batch';
import { MAX_SEND_BYTES, partitionRecords, recordBytes, sendBytesFor } from './partition-records';

/** A row with a 10-byte key, a value of `valueBytes` ASCII bytes and no headers. */
function row(id: number, key: string, valueBytes = 90): ClaimedRow {
  return {
    id: String(id),
    event_id: `event-${id}`,
    topic: Topics.user.name,
    key: key.padEnd(10, '-'),
    type: 'playball.user.updated.v1',
    headers: {},
    value: 'v'.repeat(valueBytes),
  };
}

const onePartition = () => 1;

describe('recordBytes', () => {
  it('counts the key, the value, every header name and value in UTF-8 bytes, and their framing', () => {
    const plain = row(0, 'k', 100);
    const accented = { ...plain, value: 'é'.repeat(50), headers: { ce_type: 'x'.repeat(40) } };

    // Fifty two-byte characters are as long as a hundred ASCII ones; the header adds its 7 + 40
    // bytes and its framing.
    expect(recordBytes(accented) - recordBytes(plain)).toBeGreaterThan(47);
    expect(recordBytes(accented) - recordBytes({ ...plain, headers: { ce_type: 'x'.repeat(40) } })).toBe(0);
    expect(recordBytes(plain)).toBeGreaterThan(10 + 100);
  });

  it('counts a tombstone and a header value that is not a string as kafkajs sends them, without failing', () => {
    const odd = { ...row(0, 'k'), value: null, headers: { a: null, b: 7 } as unknown as Record<string, string> };

    expect(recordBytes(odd)).toBeGreaterThan(recordBytes({ ...row(0, 'k'), value: null }));
    expect(() => partitionRecords([odd], '', onePartition)).not.toThrow();
  });
});

describe('partitionRecords', () => {
  it("splits a partition's records into sends of at most its topic's send bytes, in claim order", () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, 'k'));

    const partitions = partitionRecords(rows, 'p.', onePartition, () => 3 * recordBytes(rows[0]) + 1);

    expect(partitions).toHaveLength(1);
    const [{ topic, partition, sends }] = partitions;
    expect({ topic, partition }).toEqual({ topic: 'p.auth.user.v1', partition: 0 });
    expect(sends.map((s) => s.rows.map((r) => Number(r.id)))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(sends.flatMap((s) => s.messages.map((m) => m.value))).toEqual(rows.map((r) => r.value));
  });

  it("sends a record larger than its topic's send bytes alone, never as an empty send", () => {
    const small = recordBytes(row(0, 'k', 50));
    const [{ sends }] = partitionRecords(
      [row(0, 'k', 50), row(1, 'k', 500), row(2, 'k', 50)],
      '',
      onePartition,
      () => 2 * small,
    );

    expect(sends.map((s) => s.rows.map((r) => Number(r.id)))).toEqual([[0], [1], [2]]);
  });

  it('keeps one send per partition while the records fit, and pins each record on its partition', () => {
    const rows = Array.from({ length: 60 }, (_, i) => row(i, `key-${i % 12}`));

    const partitions = partitionRecords(rows, '', () => 6);

    // Twelve keys spread over more than one of six partitions, each partition in one group.
    expect(partitions.length).toBeGreaterThan(1);
    expect(new Set(partitions.map((p) => p.partition)).size).toBe(partitions.length);
    expect(partitions.every((p) => p.sends.length === 1)).toBe(true);
    for (const { partition, sends } of partitions) {
      expect(sends[0].messages.every((m) => m.partition === partition)).toBe(true);
    }
    expect(partitions.flatMap((p) => p.sends[0].rows)).toHaveLength(60);
  });

  it("keeps each partition's sends in claim order when partitions interleave and one is split", () => {
    // Keys of two partitions, alternating in the claim; partition A's records need two sends.
    const two = () => 2;
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    const onA = keys.filter((k) => partitionRecords([row(0, k)], '', two)[0].partition === 0).slice(0, 3);
    const onB = keys.filter((k) => partitionRecords([row(0, k)], '', two)[0].partition === 1).slice(0, 2);
    const claim = [row(0, onA[0]), row(1, onB[0]), row(2, onA[1]), row(3, onB[1]), row(4, onA[2])];

    const groups = partitionRecords(claim, '', two, () => 2 * recordBytes(claim[0]));

    const ids = (p: number) => groups.find((g) => g.partition === p)!.sends.map((s) => s.rows.map((r) => Number(r.id)));
    expect(groups).toHaveLength(2);
    expect(ids(0)).toEqual([[0, 2], [4]]);
    expect(ids(1)).toEqual([[1, 3]]);
  });

  it("splits each topic's records by that topic's own limit", () => {
    const user = Array.from({ length: 4 }, (_, i) => row(i, 'k'));
    const group = Array.from({ length: 4 }, (_, i) => ({ ...row(10 + i, 'k'), topic: Topics.group.name }));
    const one = recordBytes(user[0]);

    const groups = partitionRecords([...user, ...group], '', onePartition, (topic) =>
      topic === Topics.group.name ? 2 * one : 4 * one,
    );

    const sendsOf = (topic: string) => groups.find((g) => g.topic === topic)!.sends.map((s) => s.rows.length);
    expect(sendsOf(Topics.user.name)).toEqual([4]);
    expect(sendsOf(Topics.group.name)).toEqual([2, 2]);
  });
});

describe('sendBytesFor', () => {
  it("takes three quarters of a topic's max.message.bytes, never more than MAX_SEND_BYTES", () => {
    expect(sendBytesFor(1_048_588)).toBe(MAX_SEND_BYTES);
    expect(sendBytesFor(100_000)).toBe(75_000);
    expect(sendBytesFor(10 * 1024 * 1024)).toBe(MAX_SEND_BYTES);
  });

  it('keeps to MAX_SEND_BYTES when the limit is unknown or makes no sense', () => {
    for (const odd of [undefined, Number.NaN, 0, -1]) expect(sendBytesFor(odd)).toBe(MAX_SEND_BYTES);
  });
});
