import type { Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { Topics } from '@playball/events';
import { ClaimedRow } from '../sql/claim-batch';
import { sendEach } from './kafka-publisher';
import { partitionRecords } from './partition-records';

function row(id: number, key: string): ClaimedRow {
  return {
    id: String(id),
    event_id: `e${id}`,
    topic: Topics.user.name,
    key,
    type: 't',
    headers: {},
    value: 'v'.repeat(90),
  };
}

/** A producer that answers each send when told to, recording what was in flight when each started. */
function heldProducer() {
  const started: { partition: number; ids: string[]; inFlight: number }[] = [];
  const pending: { resolve: (m: RecordMetadata[]) => void; reject: (e: Error) => void }[] = [];
  let inFlight = 0;
  let offset = 0;
  const producer: Pick<Producer, 'send'> = {
    send: (record: ProducerRecord) => {
      inFlight++;
      const partition = record.messages[0].partition!;
      started.push({ partition, ids: record.messages.map((m) => String(m.key)), inFlight });
      const baseOffset = String(offset);
      offset += record.messages.length;
      return new Promise<RecordMetadata[]>((resolve, reject) =>
        pending.push({
          resolve: (m) => (inFlight--, resolve(m)),
          reject: (e) => (inFlight--, reject(e)),
        }),
      ).then(() => [{ topicName: record.topic, partition, errorCode: 0, baseOffset }]);
    },
  };
  const settleNext = async (error?: Error) => {
    await new Promise((resolve) => setImmediate(resolve));
    const next = pending.shift()!;
    if (error) next.reject(error);
    else next.resolve([]);
  };
  return { producer, started, settleNext, pendingCount: () => pending.length };
}

describe('sendEach', () => {
  // Two partitions; partition 0 gets three sends of two records (maxSendBytes fits two), partition 1 one.
  const rows = [0, 1, 2, 3, 4, 5].map((i) => row(i, `a${i}`));
  const sends = () => [
    ...partitionRecords(rows, '', () => 1, 200),
    ...partitionRecords([row(6, 'b6')], '', () => 1, 200).map((s) => ({
      ...s,
      partition: 1,
      messages: s.messages.map((m) => ({ ...m, partition: 1 })),
    })),
  ];

  it("sends a partition's sends one after another, and partitions at once", async () => {
    const { producer, started, settleNext } = heldProducer();
    const sent = sendEach(producer, sends());
    // Partition 0's first send and partition 1's are in flight together; nothing else yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(started.map((s) => s.partition)).toEqual([0, 1]);
    for (let i = 0; i < 4; i++) await settleNext();

    const published = await sent;
    expect(started.filter((s) => s.partition === 0).map((s) => s.ids)).toEqual([
      ['a0', 'a1'],
      ['a2', 'a3'],
      ['a4', 'a5'],
    ]);
    // Each of partition 0's later sends started with only partition 1's (or nothing) in flight.
    expect(started.filter((s) => s.partition === 0).every((s) => s.inFlight <= 2)).toBe(true);
    expect(published.map((p) => p.row.id).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it("stops a partition's sends at its first failure and fails once every partition settled", async () => {
    const { producer, started, settleNext, pendingCount } = heldProducer();
    const sent = sendEach(producer, sends());
    const outcome = sent.then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    await settleNext(new Error('broker said no')); // partition 0's first send
    await settleNext(); // partition 1's

    expect(await outcome).toBe('broker said no');
    expect(started.filter((s) => s.partition === 0)).toHaveLength(1);
    expect(pendingCount()).toBe(0);
  });
});
