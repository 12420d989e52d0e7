import { Topics } from '@playball/events';
import { ClaimedRow } from '../sql/claim-batch';
import { partitionRecords } from './partition-records';

/** A row of `bytes` record bytes: a 10-byte key, the value, no headers. */
function row(id: number, key: string, bytes: number): ClaimedRow {
  return {
    id: String(id),
    event_id: `event-${id}`,
    topic: Topics.user.name,
    key: key.padEnd(10, '-'),
    type: 'playball.user.updated.v1',
    headers: {},
    value: 'v'.repeat(bytes - 10),
  };
}

const onePartition = () => 1;

describe('partitionRecords', () => {
  it("splits a partition's records into sends of at most maxSendBytes, in claim order", () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, 'k', 100));

    const sends = partitionRecords(rows, 'p.', onePartition, 350);

    expect(sends.map((s) => s.rows.map((r) => Number(r.id)))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(sends.every((s) => s.topic === 'p.auth.user.v1' && s.partition === 0)).toBe(true);
    expect(sends.flatMap((s) => s.messages.map((m) => m.value))).toEqual(rows.map((r) => r.value));
  });

  it('counts the key, the value and every header, in bytes', () => {
    const accented = { ...row(0, 'k', 10), value: 'é'.repeat(50), headers: { ce_type: 'x'.repeat(40) } };
    // 10 (key) + 100 (50 two-byte characters) + 7 + 40 (the header): 157 bytes, so two do not fit in 300.
    expect(partitionRecords([accented, { ...accented, id: '1' }], '', onePartition, 300)).toHaveLength(2);
    expect(partitionRecords([accented, { ...accented, id: '1' }], '', onePartition, 314)).toHaveLength(1);
  });

  it('sends a record larger than maxSendBytes alone, never as an empty send', () => {
    const sends = partitionRecords([row(0, 'k', 50), row(1, 'k', 500), row(2, 'k', 50)], '', onePartition, 200);

    expect(sends.map((s) => s.rows.map((r) => Number(r.id)))).toEqual([[0], [1], [2]]);
  });

  it('keeps one send per partition while the records fit, and pins each record on its partition', () => {
    const rows = Array.from({ length: 60 }, (_, i) => row(i, `key-${i % 12}`, 100));

    const sends = partitionRecords(rows, '', () => 6);

    expect(new Set(sends.map((s) => s.partition)).size).toBe(sends.length);
    for (const send of sends) expect(send.messages.every((m) => m.partition === send.partition)).toBe(true);
    expect(sends.flatMap((s) => s.rows)).toHaveLength(60);
  });
});
