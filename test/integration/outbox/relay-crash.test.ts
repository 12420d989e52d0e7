import { ClaimedRow, OutboxPublisher, OutboxRelay, PublishedRecord } from '@playball/outbox';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { isStrictlyIncreasing, publishedEvents, sequencesByKey } from '../../support/events';
import { committedEventIds, unpublishedCount, widgetRelay } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidget, renameWidget } from './support/widget';

/**
 * Publishes for real, then dies before the relay can mark the batch: the relay's process is gone
 * (stopped, its lock connection closed) and the rows are still unpublished in the outbox.
 */
class DiesAfterPublish implements OutboxPublisher {
  crashedWith: ClaimedRow[] | undefined;
  relay: OutboxRelay | undefined;

  constructor(private readonly inner: OutboxPublisher) {}

  async publish(rows: ClaimedRow[]): Promise<PublishedRecord[]> {
    await this.inner.publish(rows);
    this.crashedWith = rows;
    void this.relay?.stop();
    throw new Error('the process died between publish and mark');
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('a relay killed between publish and mark', () => {
  let testbed: OutboxTestbed;
  let reader: TopicReader;

  beforeAll(async () => {
    testbed = await openOutboxTestbed();
    reader = await testbed.readTopic();
  });

  afterAll(async () => {
    await reader.stop();
    await testbed.close();
  });

  async function setup() {
    const { db, database, publisher } = testbed;
    for (let i = 0; i < 10; i += 1) {
      const widget = await createWidget(db, `w${i}`);
      await renameWidget(db, widget.id, `w${i} renamed`);
    }
    const dying = new DiesAfterPublish(publisher);
    const crashed = widgetRelay(db, database.url, dying, { batchSize: 8 });
    dying.relay = crashed;
    return { db, dying, crashed, fresh: testbed.relay() };
  }

  it('loses nothing: a fresh relay republishes the unmarked batch, a duplicate at worst', async () => {
    const { db, dying, crashed, fresh } = await setup();
    const committed = await committedEventIds(db);
    expect(committed).toHaveLength(20);

    crashed.start();
    await eventually(() => expect(dying.crashedWith).toHaveLength(8));
    await crashed.stop();
    const crashedIds = dying.crashedWith!.map((r) => r.event_id);
    // The batch reached Kafka, yet the outbox still says nothing was published.
    await reader.waitFor(8, (r) => crashedIds.includes(r.headers.ce_id));
    await expect(unpublishedCount(db)).resolves.toBe(20);

    fresh.start();
    try {
      await eventually(async () => expect(await unpublishedCount(db)).toBe(0));
    } finally {
      await fresh.stop();
    }

    const events = publishedEvents(await reader.waitFor(28));
    expect(new Set(events.map((e) => e.id))).toEqual(new Set(committed));
    for (const [key, sequences] of sequencesByKey(events)) {
      expect({ key, sequences, increasing: isStrictlyIncreasing(sequences) }).toMatchObject({ increasing: true });
    }
  });
});
