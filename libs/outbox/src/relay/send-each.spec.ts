import type { Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { Topics } from '@playball/events';
import { ClaimedRow } from '../sql/claim-batch';
import { sendEach } from './kafka-publisher';
import { PartitionSends, partitionRecords, recordBytes } from './partition-records';

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

/** A producer whose sends resolve or fail only when the test says, each partition's offsets counted apart. */
function heldProducer() {
  const started: { partition: number; keys: string[]; inFlight: number }[] = [];
  const pending: { partition: number; settle: (error?: Error) => void }[] = [];
  const offsets = new Map<number, number>();
  let inFlight = 0;
  const producer: Pick<Producer, 'send'> = {
    send: (record: ProducerRecord) => {
      const partition = record.messages[0].partition!;
      inFlight++;
      started.push({ partition, keys: record.messages.map((m) => String(m.key)), inFlight });
      const baseOffset = offsets.get(partition) ?? 0;
      offsets.set(partition, baseOffset + record.messages.length);
      return new Promise<RecordMetadata[]>((resolve, reject) =>
        pending.push({
          partition,
          settle: (error) => {
            inFlight--;
            if (error) reject(error);
            else resolve([{ topicName: record.topic, partition, errorCode: 0, baseOffset: String(baseOffset) }]);
          },
        }),
      );
    },
  };
  /** Settles the oldest send in flight of `partition`, then lets sendEach run on. */
  const settle = async (partition: number, error?: Error) => {
    const index = pending.findIndex((p) => p.partition === partition);
    pending.splice(index, 1)[0].settle(error);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { producer, started, settle, inFlight: () => pending.length };
}

/** Partition 0: three sends of two records (a send's limit fits two); partition 1: one send of one. */
function sends(): PartitionSends[] {
  const sendBytes = 2 * recordBytes(row(0, 'a0'));
  const onPartition = (rows: ClaimedRow[], partition: number): PartitionSends => {
    const [only] = partitionRecords(
      rows,
      '',
      () => 1,
      () => sendBytes,
    );
    const sends = only.sends.map((s) => ({ ...s, messages: s.messages.map((m) => ({ ...m, partition })) }));
    return { ...only, partition, sends };
  };
  return [
    onPartition(
      [0, 1, 2, 3, 4, 5].map((i) => row(i, `a${i}`)),
      0,
    ),
    onPartition([row(6, 'b6')], 1),
  ];
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('sendEach', () => {
  it("sends a partition's sends one after another, partitions at once, with each send's own offsets", async () => {
    const { producer, started, settle } = heldProducer();
    const sent = sendEach([producer], sends());
    await tick();
    // Partition 0's first send and partition 1's are in flight together; nothing else yet.
    expect(started.map((s) => s.partition)).toEqual([0, 1]);
    await settle(0);
    expect(started.map((s) => s.partition)).toEqual([0, 1, 0]);
    await settle(0);
    await settle(1);
    await settle(0);

    const published = await sent;
    expect(started.filter((s) => s.partition === 0).map((s) => s.keys)).toEqual([
      ['a0', 'a1'],
      ['a2', 'a3'],
      ['a4', 'a5'],
    ]);
    expect(published.map((p) => [p.row.key, p.partition, p.offset])).toEqual([
      ['a0', 0, '0'],
      ['a1', 0, '1'],
      ['a2', 0, '2'],
      ['a3', 0, '3'],
      ['a4', 0, '4'],
      ['a5', 0, '5'],
      ['b6', 1, '0'],
    ]);
  });

  it('starts no send after one failed, and fails with its error once the sends in flight settled', async () => {
    const { producer, started, settle, inFlight } = heldProducer();
    let outcome: string | undefined;
    sendEach([producer], sends()).then(
      () => (outcome = 'resolved'),
      (error: Error) => (outcome = error.message),
    );
    await tick();
    await settle(0); // partition 0's first send is acknowledged; its second starts
    await settle(0, new Error('broker said no'));

    // Partition 1's send is still in flight: sendEach waits for it before it fails.
    expect(outcome).toBeUndefined();
    expect(inFlight()).toBe(1);
    await settle(1);

    expect(outcome).toBe('broker said no');
    expect(started.filter((s) => s.partition === 0)).toHaveLength(2);
  });

  it("stops another partition's sends when one fails, and fails with the failed send's error", async () => {
    const { producer, started, settle } = heldProducer();
    let outcome: string | undefined;
    sendEach([producer], sends()).then(
      () => (outcome = 'resolved'),
      (error: Error) => (outcome = error.message),
    );
    await tick();
    await settle(1, new Error('broker said no')); // partition 1 fails while partition 0's first send is in flight
    await settle(0); // acknowledged, but partition 0 starts no second send

    expect(started.filter((s) => s.partition === 0)).toHaveLength(1);
    expect(outcome).toBe('broker said no');
  });

  it('sends each partition through the same producer of the pool every time, each producer its own partitions', async () => {
    const pool = [heldProducer(), heldProducer()];
    const producers = pool.map((p) => p.producer);
    for (let round = 0; round < 2; round++) {
      const sent = sendEach(producers, sends());
      await tick();
      // Both partitions' first sends are in flight at once, each on its own producer.
      expect(pool.map((p) => p.inFlight())).toEqual([1, 1]);
      await pool[1].settle(1);
      for (let n = 0; n < 3; n++) await pool[0].settle(0);
      await sent;
    }
    expect(new Set(pool[0].started.map((s) => s.partition))).toEqual(new Set([0]));
    expect(new Set(pool[1].started.map((s) => s.partition))).toEqual(new Set([1]));
    expect(pool[0].started).toHaveLength(6);
    expect(pool[1].started).toHaveLength(2);
  });
});
