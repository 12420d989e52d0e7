import type { Producer, ProducerBatch, RecordMetadata } from 'kafkajs';
import { Topics } from '@playball/events';
import { ClaimedRow } from '../sql/claim-batch';
import { sendInWaves, UnacknowledgedPartitionError } from './kafka-publisher';
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

/** A producer whose sendBatch() calls resolve or fail only when the test says, each partition's offsets counted apart. */
function heldProducer() {
  const calls: ProducerBatch[] = [];
  const pending: ((answer: (answers: RecordMetadata[]) => RecordMetadata[] | Error) => void)[] = [];
  const offsets = new Map<string, number>();
  const producer: Pick<Producer, 'sendBatch'> = {
    sendBatch: (batch: ProducerBatch) => {
      calls.push(batch);
      // What a broker would answer: one entry per topic partition, at the next offsets.
      const answers: RecordMetadata[] = [];
      for (const { topic, messages } of batch.topicMessages ?? []) {
        for (const partition of new Set(messages.map((m) => m.partition!))) {
          const id = `${topic}/${partition}`;
          const baseOffset = offsets.get(id) ?? 0;
          offsets.set(id, baseOffset + messages.filter((m) => m.partition === partition).length);
          answers.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(baseOffset) });
        }
      }
      return new Promise<RecordMetadata[]>((resolve, reject) =>
        pending.push((answer) => {
          const outcome = answer(answers);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        }),
      );
    },
  };
  /** Settles the oldest call in flight (by default with the broker's whole answer), then lets sendInWaves run on. */
  const settle = async (answer: (answers: RecordMetadata[]) => RecordMetadata[] | Error = (answers) => answers) => {
    pending.shift()!(answer);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { producer, calls, settle, inFlight: () => pending.length };
}

/** Partition 0 of `topic`: three sends of two records (a send's limit fits two); partition 1: one send of one. */
function sends(topic = ''): PartitionSends[] {
  const sendBytes = 2 * recordBytes(row(0, 'a0'));
  const onPartition = (rows: ClaimedRow[], partition: number): PartitionSends => {
    const [only] = partitionRecords(
      rows,
      topic,
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

/** Each call's records as `key@partition`, by topic. */
function recordsOf(batch: ProducerBatch): string[][] {
  return (batch.topicMessages ?? []).map(({ messages }) => messages.map((m) => `${String(m.key)}@${m.partition}`));
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('sendInWaves', () => {
  it('sends the first send of every partition in one request, each next wave once the one before was acknowledged', async () => {
    const { producer, calls, settle } = heldProducer();
    const sent = sendInWaves(producer, sends());
    await tick();
    expect(calls.map(recordsOf)).toEqual([[['a0@0', 'a1@0', 'b6@1']]]);
    await settle();
    expect(calls.map(recordsOf).slice(1)).toEqual([[['a2@0', 'a3@0']]]);
    await settle();
    await settle();

    const published = await sent;
    expect(calls.map(recordsOf)).toEqual([[['a0@0', 'a1@0', 'b6@1']], [['a2@0', 'a3@0']], [['a4@0', 'a5@0']]]);
    expect(calls.every((call) => call.acks === -1)).toBe(true);
    expect(published.map((p) => [p.row.key, p.partition, p.offset])).toEqual([
      ['a0', 0, '0'],
      ['a1', 0, '1'],
      ['b6', 1, '0'],
      ['a2', 0, '2'],
      ['a3', 0, '3'],
      ['a4', 0, '4'],
      ['a5', 0, '5'],
    ]);
  });

  it('sends the partitions of several topics in the same request, one entry per topic', async () => {
    const { producer, calls, settle } = heldProducer();
    const sent = sendInWaves(producer, [...sends('x.'), ...sends('y.')]);
    await tick();
    expect(calls[0].topicMessages?.map((t) => t.topic)).toEqual([`x.${Topics.user.name}`, `y.${Topics.user.name}`]);
    expect(recordsOf(calls[0])).toEqual([
      ['a0@0', 'a1@0', 'b6@1'],
      ['a0@0', 'a1@0', 'b6@1'],
    ]);
    await settle();
    await settle();
    await settle();
    expect(await sent).toHaveLength(14);
  });

  it('fails with the error of the send that failed, and sends no later wave', async () => {
    const { producer, calls, settle } = heldProducer();
    const failed = sendInWaves(producer, sends()).catch((error: Error) => error);
    await tick();
    await settle(() => new Error('broker said no'));

    expect(await failed).toEqual(new Error('broker said no'));
    expect(calls).toHaveLength(1);
  });

  it('fails when a send resolves without acknowledging one of its partitions (kafkajs#1303), and sends no later wave', async () => {
    const { producer, calls, settle } = heldProducer();
    const failed = sendInWaves(producer, sends()).catch((error: Error) => error);
    await tick();
    // kafkajs resolved the send with the answer of a broker that took partition 0 only.
    await settle((answers) => answers.filter((a) => a.partition === 0));

    expect(await failed).toBeInstanceOf(UnacknowledgedPartitionError);
    expect(String(await failed)).toContain('partition 1');
    expect(calls).toHaveLength(1);
  });

  it('fails when the answer for a partition carries an error code', async () => {
    const { producer, settle } = heldProducer();
    const failed = sendInWaves(producer, sends()).catch((error: Error) => error);
    await tick();
    await settle((answers) => answers.map((a) => (a.partition === 1 ? { ...a, errorCode: 6 } : a)));

    expect(await failed).toBeInstanceOf(UnacknowledgedPartitionError);
  });
});
