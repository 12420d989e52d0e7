import { Kafka, Producer, ProducerBatch, ProducerRecord } from 'kafkajs';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { publishedEvents, sequencesByKey } from '../../support/events';
import { unpublishedCount } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidgets, renameWidget } from './support/widget';

const WIDGETS = 60;
const PARTITIONS = 6;

/**
 * Every request any kafkajs producer of this test file makes (send() or sendBatch()): each topic's
 * partitions, as its records name them.
 */
function recordSends(): { topic: string; partitions: (number | undefined)[] }[][] {
  const sends: { topic: string; partitions: (number | undefined)[] }[][] = [];
  const createProducer = Kafka.prototype.producer;
  jest.spyOn(Kafka.prototype, 'producer').mockImplementation(function (this: Kafka, config) {
    const producer: Producer = createProducer.call(this, config);
    const send = producer.send.bind(producer);
    const sendBatch = producer.sendBatch.bind(producer);
    producer.send = (record: ProducerRecord) => {
      sends.push([{ topic: record.topic, partitions: record.messages.map((m) => m.partition) }]);
      return send(record);
    };
    producer.sendBatch = (batch: ProducerBatch) => {
      sends.push(
        (batch.topicMessages ?? []).map(({ topic, messages }) => ({
          topic,
          partitions: messages.map((m) => m.partition),
        })),
      );
      return sendBatch(batch);
    };
    return producer;
  });
  return sends;
}

describe("the relay's requests", () => {
  let testbed: OutboxTestbed;
  let reader: TopicReader;

  beforeAll(async () => {
    testbed = await openOutboxTestbed({ partitions: PARTITIONS });
    reader = await testbed.readTopic();
  });

  afterAll(async () => {
    await reader.stop();
    await testbed.close();
    jest.restoreAllMocks();
  });

  it("publishes a claim spanning every partition in one request, each record pinned to its partition, keeping every key's order", async () => {
    const sends = recordSends();
    const ids = await createWidgets(testbed.db, WIDGETS);
    for (const id of ids) await renameWidget(testbed.db, id, 'renamed');
    // Started after every commit: its first claim holds all the events, across every partition.
    const relay = testbed.relay();
    relay.start();
    try {
      await eventually(async () => expect(await unpublishedCount(testbed.db)).toBe(0), 60_000);
    } finally {
      await relay.stop();
    }

    // One request: the claim's 120 records are far below what one send of a partition carries.
    expect(sends).toHaveLength(1);
    const [[only]] = sends;
    expect(only.topic).toBe(testbed.topic);
    expect(only.partitions).toHaveLength(2 * WIDGETS);
    expect(only.partitions.every((p) => p !== undefined)).toBe(true);
    expect(new Set(only.partitions).size).toBe(PARTITIONS);
    const events = publishedEvents(await reader.waitFor(2 * WIDGETS, () => true, 60_000));
    for (const event of events) {
      expect(events.filter((e) => e.key === event.key).every((e) => e.partition === event.partition)).toBe(true);
    }
    const byKey = sequencesByKey(events);
    for (const id of ids) expect({ id, sequences: byKey.get(id) }).toEqual({ id, sequences: [1, 2] });
  });
});
