import { defaultRelayOptions, OutboxRelay } from '@playball/outbox';
import { eventually } from '../../support/eventually';
import { unpublishedCount } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidgets } from './support/widget';

describe("the relay's linger after a commit wakes it", () => {
  let testbed: OutboxTestbed;

  beforeAll(async () => {
    testbed = await openOutboxTestbed();
  });

  afterAll(async () => {
    await testbed.close();
  });

  it('publishes the commits made while it lingers as one batch', async () => {
    const batches: number[] = [];
    let backlogSeen = false;
    const relay = new OutboxRelay(
      testbed.db,
      testbed.publisher,
      {
        ...defaultRelayOptions,
        service: 'widgets',
        databaseUrl: testbed.database.url,
        // Only a commit's NOTIFY wakes it; three commits take milliseconds, far inside the linger.
        pollIntervalMs: 60_000,
        lingerMs: 1_000,
      },
      {
        published: () => undefined,
        failed: () => undefined,
        backlog: () => (backlogSeen = true),
        leadership: () => undefined,
        batchPublished: (batch) => batches.push(batch.size),
      },
    );
    relay.start();
    try {
      // The first drain (nothing to publish) reports the backlog; from then on it waits for a commit.
      await eventually(() => expect(backlogSeen).toBe(true));
      await createWidgets(testbed.db, 3);
      await eventually(async () => expect(await unpublishedCount(testbed.db)).toBe(0));
    } finally {
      await relay.stop();
    }
    expect(batches).toEqual([3]);
  });
});
