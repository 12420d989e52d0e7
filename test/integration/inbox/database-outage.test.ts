import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/eventually';
import { withDatabaseOutage } from './support/outage';
import { record, registered, updated } from './support/records';
import { closeTestbeds, createTestbed } from './support/testbed';

// Below the 10 s outage: a consumer that did not heartbeat while it waits would be evicted and rejoin.
const sessionTimeoutMs = 6_000;
const outageMs = 10_000;

async function setup() {
  const testbed = await createTestbed();
  const consumer = await testbed.startConsumer({ sessionTimeout: sessionTimeoutMs });
  return { testbed, consumer };
}

function versions(users: string[], from: number, to: number) {
  const events = [];
  for (let version = from; version <= to; version++) {
    for (const userId of users) events.push(version === 1 ? registered(userId, 1) : updated(userId, version));
  }
  return events;
}

describe('the inbox during a database outage', () => {
  afterEach(closeTestbeds);

  it('retries through 10 s without PostgreSQL mid-stream: nothing dead-lettered, every event applied exactly once afterwards', async () => {
    const { testbed, consumer } = await setup();
    const users = Array.from({ length: 6 }, () => randomUUID());
    const before = versions(users, 1, 50);
    const during = versions(users, 51, 100);

    await testbed.produce(before.map(record));
    await eventually(async () => expect((await testbed.effects()).length).toBeGreaterThanOrEqual(30));
    await withDatabaseOutage(testbed.database.name, async () => {
      await testbed.produce(during.map(record));
      // The outage itself, not a wait for a condition: the consumer keeps retrying for this long.
      await new Promise((resolve) => setTimeout(resolve, outageMs));
    });

    await eventually(async () => expect((await testbed.effects()).length).toBe(600), 60_000);
    const effects = await testbed.effects();
    expect(new Set(effects.map((e) => e.event_id)).size).toBe(600);
    expect(new Set(await testbed.inboxEventIds()).size).toBe(600);
    for (const userId of users) {
      expect(effects.filter((e) => e.user_id === userId).map((e) => e.version)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
    }
    expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(0);
    expect(consumer.rejoins()).toBe(0);
  }, 120_000);
});
