import { Kafka, Producer, ProducerRecord } from 'kafkajs';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { publishedEvents, sequencesByKey } from '../../support/events';
import { unpublishedCount } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidgets, renameWidget } from './support/widget';

const WIDGETS = 60;
const PARTITIONS = 6;

interface Send {
  /** Which producer sent it, numbered as they were made. */
  producer: number;
  topic: string;
  partitions: (number | undefined)[];
}

/** Every send() any kafkajs producer of this test file makes: by which producer, to what topic, and the partitions its records name. */
function recordSends(): Send[] {
  const sends: Send[] = [];
  let producers = 0;
  const createProducer = Kafka.prototype.producer;
  jest.spyOn(Kafka.prototype, 'producer').mockImplementation(function (this: Kafka, config) {
    const producer: Producer = createProducer.call(this, config);
    const number = producers++;
    const send = producer.send.bind(producer);
    producer.send = (record: ProducerRecord) => {
      sends.push({ producer: number, topic: record.topic, partitions: record.messages.map((m) => m.partition) });
      return send(record);
    };
    return producer;
  });
  return sends;
}

describe("the relay's send granularity", () => {
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

  it("sends each partition's records in a send() of its own, each partition through a producer of its own, keeping every key's order", async () => {
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

    expect(sends.length).toBeGreaterThanOrEqual(PARTITIONS);
    for (const send of sends) {
      expect(send.topic).toBe(testbed.topic);
      expect(send.partitions.length).toBeGreaterThan(0);
      expect(new Set(send.partitions).size).toBe(1);
      expect(send.partitions[0]).toBeDefined();
    }
    expect(new Set(sends.map((s) => s.partitions[0])).size).toBe(PARTITIONS);
    // A pool of one producer per partition, so that no partition waits behind another's request.
    for (let partition = 0; partition < PARTITIONS; partition++) {
      expect({
        partition,
        producers: new Set(sends.filter((s) => s.partitions[0] === partition).map((s) => s.producer)).size,
      }).toEqual({ partition, producers: 1 });
    }
    expect(new Set(sends.map((s) => s.producer)).size).toBe(PARTITIONS);
    const events = publishedEvents(await reader.waitFor(2 * WIDGETS, () => true, 60_000));
    for (const event of events) {
      expect(events.filter((e) => e.key === event.key).every((e) => e.partition === event.partition)).toBe(true);
    }
    const byKey = sequencesByKey(events);
    for (const id of ids) expect({ id, sequences: byKey.get(id) }).toEqual({ id, sequences: [1, 2] });
  });
});
