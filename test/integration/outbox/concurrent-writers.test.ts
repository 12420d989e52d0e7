import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { KafkaOutboxPublisher } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { eventually } from '../../support/eventually';
import { TopicReader, uniqueName } from '../../support/kafka';
import {
  deleteTopics,
  publishedEvents,
  sequencesByKey,
  unpublishedCount,
  widgetPublisher,
  widgetRelay,
} from './support/relay';
import { createWidget, renameWidget, widgetDataSource } from './support/widget';

const WRITERS = 50;
const AGGREGATES = 10;
const SAVES_PER_WRITER = 5;

describe('per-aggregate order under concurrent writers', () => {
  const prefix = uniqueName('t') + '.';
  let database: TestDatabase;
  let writersDb: DataSource;
  let relayDb: DataSource;
  let publisher: KafkaOutboxPublisher;
  let reader: TopicReader;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    // One connection per writer, so all 50 transactions really are open at once.
    writersDb = await widgetDataSource(database.url, WRITERS);
    relayDb = await widgetDataSource(database.url, 2);
    publisher = widgetPublisher(prefix);
    await publisher.ensureTopics();
    reader = await new TopicReader([topicName(Topics.user.name, prefix)]).start();
  });

  afterAll(async () => {
    await publisher.close();
    await reader.stop();
    await writersDb.destroy();
    await relayDb.destroy();
    await database.drop();
    await deleteTopics(prefix);
  });

  async function setup() {
    const ids: string[] = [];
    for (let i = 0; i < AGGREGATES; i += 1) ids.push((await createWidget(writersDb, `w${i}`)).id);
    const writer = async (n: number) => {
      for (let save = 0; save < SAVES_PER_WRITER; save += 1) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        await renameWidget(writersDb, id, `writer ${n} save ${save}`);
      }
    };
    return {
      writeAll: () => Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n))),
      relay: widgetRelay(relayDb, database.url, publisher),
    };
  }

  it('publishes every committed version of each aggregate in strictly increasing sequence while 50 writers race', async () => {
    const { writeAll, relay } = await setup();
    relay.start();
    try {
      await writeAll();
      await eventually(async () => expect(await unpublishedCount(writersDb)).toBe(0), 60_000);
    } finally {
      await relay.stop();
    }

    const versions = (await writersDb.query(`select id, version from widgets`)) as { id: string; version: number }[];
    const committed = versions.reduce((sum, w) => sum + w.version, 0);
    expect(committed).toBe(AGGREGATES + WRITERS * SAVES_PER_WRITER);
    const byKey = sequencesByKey(publishedEvents(await reader.waitFor(committed, () => true, 60_000)));
    for (const { id, version } of versions) {
      expect({ id, sequences: byKey.get(id) }).toEqual({
        id,
        sequences: Array.from({ length: version }, (_, i) => i + 1),
      });
    }
  });
});
