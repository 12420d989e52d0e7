import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { ClaimedRow, KafkaOutboxPublisher, OutboxPublisher, OutboxRelay } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { eventually } from '../../support/eventually';
import { TopicReader, uniqueName } from '../../support/kafka';
import {
  committedEventIds,
  deleteTopics,
  isStrictlyIncreasing,
  publishedEvents,
  sequencesByKey,
  unpublishedCount,
  widgetPublisher,
  widgetRelay,
} from './support/relay';
import { createWidget, renameWidget, widgetDataSource } from './support/widget';

/**
 * Publishes for real, then dies before the relay can mark the batch: the relay's process is gone
 * (stopped, its lock connection closed) and the rows are still unpublished in the outbox.
 */
class DiesAfterPublish implements OutboxPublisher {
  crashedWith: ClaimedRow[] | undefined;
  relay: OutboxRelay | undefined;

  constructor(private readonly inner: OutboxPublisher) {}

  async publish(rows: ClaimedRow[]): Promise<void> {
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
  const prefix = uniqueName('t') + '.';
  let database: TestDatabase;
  let db: DataSource;
  let publisher: KafkaOutboxPublisher;
  let reader: TopicReader;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    db = await widgetDataSource(database.url);
    publisher = widgetPublisher(prefix);
    await publisher.ensureTopics();
    reader = await new TopicReader([topicName(Topics.user.name, prefix)]).start();
  });

  afterAll(async () => {
    await publisher.close();
    await reader.stop();
    await db.destroy();
    await database.drop();
    await deleteTopics(prefix);
  });

  async function setup() {
    for (let i = 0; i < 10; i += 1) {
      const widget = await createWidget(db, `w${i}`);
      await renameWidget(db, widget.id, `w${i} renamed`);
    }
    const dying = new DiesAfterPublish(publisher);
    const crashed = widgetRelay(db, database.url, dying, { batchSize: 8 });
    dying.relay = crashed;
    return { dying, crashed, fresh: widgetRelay(db, database.url, publisher) };
  }

  it('loses nothing: a fresh relay republishes the unmarked batch, a duplicate at worst', async () => {
    const { dying, crashed, fresh } = await setup();
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
