import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { KafkaOutboxPublisher, OutboxRelay } from '@playball/outbox';
import { startBroker, stopBroker } from '../support/broker';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';
import { TopicReader, uniqueName } from '../support/kafka';
import {
  committedEventIds,
  deleteTopics,
  publishedEvents,
  sequencesByKey,
  unpublishedCount,
  widgetPublisher,
  widgetRelay,
} from '../integration/outbox/support/relay';
import { createWidget, renameWidget, widgetDataSource } from '../integration/outbox/support/widget';

const OUTAGE_MS = 20_000;
/** About 20 commits a second: 400 events pile up in the outbox during the outage. */
const WRITE_PACE_MS = 50;

describe('the outbox relay through a broker outage', () => {
  const prefix = uniqueName('t') + '.';
  let database: TestDatabase;
  let db: DataSource;
  let publisher: KafkaOutboxPublisher;
  let relay: OutboxRelay;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    db = await widgetDataSource(database.url);
    publisher = widgetPublisher(prefix);
    await publisher.ensureTopics();
    relay = widgetRelay(db, database.url, publisher, { backoffMaxMs: 2_000 });
  });

  afterAll(async () => {
    startBroker(); // idempotent: a test that failed mid-outage must not leave the broker down
    await relay.stop();
    await publisher.close();
    await db.destroy();
    await database.drop();
    await deleteTopics(prefix);
  });

  async function setup() {
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) ids.push((await createWidget(db, `w${i}`)).id);
    let saves = 0;
    /** Keeps committing renames of random widgets, paced, for `durationMs`. */
    const writeFor = async (durationMs: number) => {
      const deadline = Date.now() + durationMs;
      while (Date.now() < deadline) {
        await renameWidget(db, ids[Math.floor(Math.random() * ids.length)], `save ${(saves += 1)}`);
        await new Promise((resolve) => setTimeout(resolve, WRITE_PACE_MS));
      }
    };
    return { writeFor };
  }

  it('catches up after the broker was down for 20 s, losing nothing and keeping per-aggregate order', async () => {
    const { writeFor } = await setup();
    relay.start();
    try {
      // No wait for a drained outbox: the broker should go down while a batch may be in flight.
      await writeFor(2_000);
      await stopBroker();
      await writeFor(OUTAGE_MS);
      const heldBack = await unpublishedCount(db);
      expect(heldBack).toBeGreaterThan(100);

      startBroker();
      await writeFor(2_000);
      await eventually(async () => expect(await unpublishedCount(db)).toBe(0), 120_000);
    } finally {
      await relay.stop();
    }

    const committed = await committedEventIds(db);
    const reader = await new TopicReader([topicName(Topics.user.name, prefix)]).start();
    try {
      const events = publishedEvents(await reader.waitFor(committed.length, () => true, 60_000));
      expect(new Set(events.map((e) => e.id))).toEqual(new Set(committed));
      const versions = (await db.query(`select id, version from widgets`)) as { id: string; version: number }[];
      const byKey = sequencesByKey(events);
      for (const { id, version } of versions) {
        expect({ id, sequences: byKey.get(id) }).toEqual({
          id,
          sequences: Array.from({ length: version }, (_, i) => i + 1),
        });
      }
    } finally {
      await reader.stop();
    }
  }, 300_000);
});
