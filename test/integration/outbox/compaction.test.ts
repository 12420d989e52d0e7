import { ConfigResourceTypes } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { KafkaOutboxPublisher, OutboxRelay } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { TopicReader, uniqueName, withAdmin } from '../../support/kafka';
import { deleteTopics, widgetPublisher, widgetRelay } from './support/relay';
import { createWidget, Widget, widgetDataSource } from './support/widget';

describe('the compacted user topic', () => {
  const prefix = uniqueName('t') + '.';
  const topic = topicName(Topics.user.name, prefix);
  let database: TestDatabase;
  let db: DataSource;
  let publisher: KafkaOutboxPublisher;
  let relay: OutboxRelay;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    db = await widgetDataSource(database.url);
    publisher = widgetPublisher(prefix);
    relay = widgetRelay(db, database.url, publisher);
  });

  afterAll(async () => {
    await publisher.close();
    await db.destroy();
    await database.drop();
    await deleteTopics(prefix);
  });

  it('is created by the publisher with cleanup.policy=compact', async () => {
    await publisher.ensureTopics();
    const { resources } = await withAdmin((admin) =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
      }),
    );
    expect(resources[0].configEntries).toEqual([
      expect.objectContaining({ configName: 'cleanup.policy', configValue: 'compact' }),
    ]);
  });

  it('carries a removal as the deleted event, then a null-value tombstone with the same key', async () => {
    await publisher.ensureTopics();
    const reader = await new TopicReader([topic]).start();
    relay.start();
    try {
      const widget = await createWidget(db, 'short-lived');
      const { id } = widget;
      await db.getRepository(Widget).remove(widget);

      const records = await reader.waitFor(3, (r) => r.key === id);
      expect(records.map((r) => [r.headers.ce_type, r.value === null])).toEqual([
        ['playball.user.registered.v1', false],
        ['playball.user.deleted.v1', false],
        [undefined, true],
      ]);
      expect(new Set(records.map((r) => r.partition)).size).toBe(1);
      expect(records.map((r) => Number(r.offset))).toEqual(
        [...records.map((r) => Number(r.offset))].sort((a, b) => a - b),
      );
    } finally {
      await relay.stop();
      await reader.stop();
    }
  });
});
