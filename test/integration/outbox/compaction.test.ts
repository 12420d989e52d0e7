import { ConfigResourceTypes } from 'kafkajs';
import { OutboxRelay } from '@playball/outbox';
import { withAdmin } from '../../support/kafka';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidget, Widget } from './support/widget';

describe('the compacted user topic', () => {
  let testbed: OutboxTestbed;
  let relay: OutboxRelay;

  beforeAll(async () => {
    testbed = await openOutboxTestbed({ createTopics: false });
    relay = testbed.relay();
  });

  afterAll(async () => {
    await testbed.close();
  });

  function setup() {
    const { db, topic, publisher } = testbed;
    return { db, topic, publisher, relay, readTopic: () => testbed.readTopic() };
  }

  it('is created by the publisher with cleanup.policy=compact', async () => {
    const { topic, publisher } = setup();
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
    const { db, publisher, relay, readTopic } = setup();
    await publisher.ensureTopics();
    const reader = await readTopic();
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
