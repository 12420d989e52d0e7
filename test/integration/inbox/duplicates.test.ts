import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/eventually';
import { deferred, deliveredEventIds, DeliveryLog } from './support/deliveries';
import { record, registered, updated } from './support/records';
import { closeTestbeds, ConsumerOptions, createTestbed, Testbed } from './support/testbed';

async function setup(options: ConsumerOptions = {}) {
  const testbed = await createTestbed();
  const consumer = await testbed.startConsumer(options);
  return { testbed, consumer };
}

async function waitForEffectOf(testbed: Testbed, eventId: string) {
  await eventually(async () => expect((await testbed.effects()).map((e) => e.event_id)).toContain(eventId));
}

async function effectsOf(testbed: Testbed, eventId: string) {
  return (await testbed.effects()).filter((e) => e.event_id === eventId);
}

describe('the inbox against duplicate deliveries', () => {
  afterEach(closeTestbeds);

  it('applies an event delivered three times once, and acknowledges the duplicates', async () => {
    const deliveries = new DeliveryLog();
    const { testbed } = await setup({ onDelivery: deliveries.record });
    const userId = randomUUID();
    const event = registered(userId, 1);
    const later = updated(userId, 2);

    await testbed.produce([record(event), record(event), record(event), record(later)]);

    await waitForEffectOf(testbed, later.id);
    expect(deliveries.count(event.id)).toBe(3);
    expect(await effectsOf(testbed, event.id)).toHaveLength(1);
    expect((await testbed.inboxEventIds()).filter((id) => id === event.id)).toHaveLength(1);
    await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
  });

  it('does not apply an event twice when the consumer dies after the database commit and before the offset commit', async () => {
    const testbed = await createTestbed();
    const userId = randomUUID();
    const first = registered(userId, 1);
    const victim = updated(userId, 2);
    const committed = deferred();
    const killed = deferred();
    const doomed = await testbed.startConsumer({
      afterConsume: async (context) => {
        if (!deliveredEventIds(context).includes(victim.id)) return;
        committed.resolve();
        // Whatever runs after the transaction, the process dies here: eachMessage never resolves.
        await killed.promise;
      },
    });

    // Apart, so that they are fetched in two batches: the first one's offset is committed.
    await testbed.produce([record(first)]);
    await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
    await testbed.produce([record(victim)]);
    await committed.promise;
    expect(await effectsOf(testbed, victim.id)).toHaveLength(1);
    const closing = doomed.close();
    killed.reject(new Error('killed after the database commit, before the offset commit'));
    await closing;

    const deliveries = new DeliveryLog();
    await testbed.startConsumer({ onDelivery: deliveries.record });
    const later = updated(userId, 3);
    await testbed.produce([record(later)]);
    await waitForEffectOf(testbed, later.id);

    expect(deliveries.count(victim.id)).toBe(1);
    expect(deliveries.count(first.id)).toBe(0);
    expect(await effectsOf(testbed, victim.id)).toHaveLength(1);
    expect((await testbed.inboxEventIds()).filter((id) => id === victim.id)).toHaveLength(1);
  });
});
