import { v7 as uuidv7 } from 'uuid';
import { OutboxRelay } from '@playball/outbox';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { Widget } from './support/widget';

describe('atomic capture', () => {
  let testbed: OutboxTestbed;
  let relay: OutboxRelay;

  beforeAll(async () => {
    // One partition: the topic's order is then the relay's order, so "not before X" means "never".
    testbed = await openOutboxTestbed({ partitions: 1 });
    relay = testbed.relay();
    relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await testbed.close();
  });

  async function setup() {
    const { db } = testbed;
    return { db, reader: await testbed.readTopic(), widgets: db.getRepository(Widget) };
  }

  it('leaves no outbox row and no message for a rolled-back transaction, and both for a committed one', async () => {
    const { db, reader, widgets } = await setup();
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
