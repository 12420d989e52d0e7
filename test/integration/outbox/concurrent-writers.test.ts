import { DataSource } from 'typeorm';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { publishedEvents, sequencesByKey } from '../../support/events';
import { unpublishedCount, widgetRelay } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidgets, renameWidget, widgetDataSource, widgetVersions } from './support/widget';

const WRITERS = 50;
const AGGREGATES = 10;
const SAVES_PER_WRITER = 5;

describe('per-aggregate order under concurrent writers', () => {
  let testbed: OutboxTestbed;
  let relayDb: DataSource;
  let reader: TopicReader;

  beforeAll(async () => {
    // One connection per writer, so all 50 transactions really are open at once.
    testbed = await openOutboxTestbed({ poolSize: WRITERS });
    relayDb = await widgetDataSource(testbed.database.url, 2);
    reader = await testbed.readTopic();
  });

  afterAll(async () => {
    await reader.stop();
    await relayDb.destroy();
    await testbed.close();
  });

  async function setup() {
    const { db: writersDb, database, publisher } = testbed;
    const ids = await createWidgets(writersDb, AGGREGATES);
    const writer = async (n: number) => {
      for (let save = 0; save < SAVES_PER_WRITER; save += 1) {
        const id = ids[Math.floor(Math.random() * ids.length)];
        await renameWidget(writersDb, id, `writer ${n} save ${save}`);
      }
    };
    return {
      writersDb,
      writeAll: () => Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n))),
      relay: widgetRelay(relayDb, database.url, publisher),
    };
  }

  it('publishes every committed version of each aggregate in strictly increasing sequence while 50 writers race', async () => {
    const { writersDb, writeAll, relay } = await setup();
    relay.start();
    try {
      await writeAll();
      await eventually(async () => expect(await unpublishedCount(writersDb)).toBe(0), 60_000);
    } finally {
      await relay.stop();
    }

    const versions = await widgetVersions(writersDb);
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
