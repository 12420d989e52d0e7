import { defaultRelayOptions, OutboxPublisher, OutboxRelay, RelayObserver } from '@playball/outbox';
import { poolOf } from '@playball/platform/database';
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

  /** Counts each batch's size, and tells when the first drain (nothing to publish) reported the backlog. */
  function observer(batches: number[], onBacklog: () => void = () => undefined): RelayObserver {
    return {
      published: () => undefined,
      failed: () => undefined,
      backlog: onBacklog,
      leadership: () => undefined,
      batchPublished: (batch) => batches.push(batch.size),
    };
  }

  function relay(publisher: OutboxPublisher, lingerMs: number, batches: number[], onBacklog?: () => void) {
    return new OutboxRelay(
      poolOf(testbed.db),
      publisher,
      // Only a commit's NOTIFY wakes it.
      {
        ...defaultRelayOptions,
        service: 'widgets',
        databaseUrl: testbed.database.url,
        pollIntervalMs: 60_000,
        lingerMs,
      },
      observer(batches, onBacklog),
    );
  }

  it('publishes the commits made while it lingers as one batch', async () => {
    const batches: number[] = [];
    let backlogSeen = false;
    // Three commits take milliseconds, far inside the linger.
    const lingering = relay(testbed.publisher, 1_000, batches, () => (backlogSeen = true));
    lingering.start();
    try {
      // The first drain (nothing to publish) reports the backlog; from then on it waits for a commit.
      await eventually(() => expect(backlogSeen).toBe(true));
      await createWidgets(testbed.db, 3);
      await eventually(async () => expect(await unpublishedCount(testbed.db)).toBe(0));
    } finally {
      await lingering.stop();
    }
    expect(batches).toEqual([3]);
  });

  it('does not linger for the commits made while a batch was being published', async () => {
    await createWidgets(testbed.db, 1);
    let firstPublishStarted!: () => void;
    const publishing = new Promise<void>((resolve) => (firstPublishStarted = resolve));
    let releaseFirstPublish!: () => void;
    const released = new Promise<void>((resolve) => (releaseFirstPublish = resolve));
    const held: OutboxPublisher = {
      publish: async (rows) => {
        firstPublishStarted();
        await released;
        return testbed.publisher.publish(rows);
      },
      close: () => Promise.resolve(),
    };
    const batches: number[] = [];
    // Lingering a minute would outlast the wait below: the second batch must go without it.
    const busy = relay(held, 60_000, batches);
    busy.start();
    try {
      // The relay starts by draining what is there: the first widget, held in publish.
      await publishing;
      await createWidgets(testbed.db, 2);
      releaseFirstPublish();
      await eventually(async () => expect(await unpublishedCount(testbed.db)).toBe(0));
    } finally {
      await busy.stop();
    }
    expect(batches).toEqual([1, 2]);
  });
});
