import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Topics, topicName } from '@playball/events';
import { KafkaOutboxPublisher, OutboxRelay } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { TopicReader, uniqueName } from '../../support/kafka';
import { deleteTopics, widgetPublisher, widgetRelay } from './support/relay';
import { Widget, widgetDataSource } from './support/widget';

describe('atomic capture', () => {
  const prefix = uniqueName('t') + '.';
  let database: TestDatabase;
  let db: DataSource;
  let publisher: KafkaOutboxPublisher;
  let relay: OutboxRelay;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    db = await widgetDataSource(database.url);
    // One partition: the topic's order is then the relay's order, so "not before X" means "never".
    publisher = widgetPublisher(prefix, 1);
    await publisher.ensureTopics();
    relay = widgetRelay(db, database.url, publisher);
    relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await publisher.close();
    await db.destroy();
    await database.drop();
    await deleteTopics(prefix);
  });

  async function setup() {
    const reader = await new TopicReader([topicName(Topics.user.name, prefix)]).start();
    return { reader, widgets: db.getRepository(Widget) };
  }

  it('leaves no outbox row and no message for a rolled-back transaction, and both for a committed one', async () => {
    const { reader, widgets } = await setup();
    try {
      const rolledBack = uuidv7();
      const committed = uuidv7();

      const failing = db.transaction(async (manager) => {
        await manager.save(Widget, { id: rolledBack, name: 'never was' });
        throw new Error('a later step of the use case failed');
      });
      await expect(failing).rejects.toThrow('a later step of the use case failed');
      await db.transaction((manager) => manager.save(Widget, { id: committed, name: 'is' }));

      await reader.waitFor(1, (r) => r.key === committed);
      expect(reader.records.map((r) => r.key)).toEqual([committed]);
      const outbox = (await db.query(`select key from outbox`)) as { key: string }[];
      expect(outbox.map((r) => r.key)).toEqual([committed]);
      await expect(widgets.existsBy({ id: rolledBack })).resolves.toBe(false);
    } finally {
      await reader.stop();
    }
  });
});
