import { startBroker, stopBroker } from '../support/broker';
import { eventually } from '../support/eventually';
import { publishedEvents, sequencesByKey } from '../support/events';
import { committedEventIds, unpublishedCount } from '../integration/outbox/support/relay';
import { openOutboxTestbed, OutboxTestbed } from '../integration/outbox/support/testbed';
import { createWidgets, renameWidget, widgetVersions } from '../integration/outbox/support/widget';

const OUTAGE_MS = 20_000;
/** About 20 commits a second: 400 events pile up in the outbox during the outage. */
const WRITE_PACE_MS = 50;

describe('the outbox relay through a broker outage', () => {
  let testbed: OutboxTestbed;

  beforeAll(async () => {
    testbed = await openOutboxTestbed();
  });

  afterAll(async () => {
    startBroker(); // idempotent: a test that failed mid-outage must not leave the broker down
    await testbed.close();
  });

  async function setup() {
    const { db } = testbed;
    const ids = await createWidgets(db, 10);
    let saves = 0;
    /** Keeps committing renames of random widgets, paced, for `durationMs`. */
    const writeFor = async (durationMs: number) => {
      const deadline = Date.now() + durationMs;
      while (Date.now() < deadline) {
        await renameWidget(db, ids[Math.floor(Math.random() * ids.length)], `save ${(saves += 1)}`);
        await new Promise((resolve) => setTimeout(resolve, WRITE_PACE_MS));
      }
    };
    return { db, relay: testbed.relay({ backoffMaxMs: 2_000 }), writeFor, readTopic: () => testbed.readTopic() };
  }

  it('catches up after the broker was down for 20 s, losing nothing and keeping per-aggregate order', async () => {
    const { db, relay, writeFor, readTopic } = await setup();
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
    const reader = await readTopic();
    try {
      const events = publishedEvents(await reader.waitForEvents(committed, 60_000));
      expect(new Set(events.map((e) => e.id))).toEqual(new Set(committed));
      const versions = await widgetVersions(db);
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
