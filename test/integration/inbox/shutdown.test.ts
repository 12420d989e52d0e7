import { randomUUID } from 'node:crypto';
import { eventually, withDeadline } from '../../support/eventually';
import { record, registered } from './support/records';
import { closeTestbeds, createTestbed } from './support/testbed';

const connectionReset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

async function setup() {
  const testbed = await createTestbed();
  const attempts = { count: 0 };
  const stuck = await testbed.startConsumer({
    handlers: {
      'playball.user.registered.v1': async () => {
        attempts.count++;
        throw connectionReset();
      },
    },
  });
  return { testbed, stuck, attempts };
}

describe('the inbox at shutdown', () => {
  afterEach(closeTestbeds);

  it('lets the consumer close while an event is being retried, and the event is applied after a restart', async () => {
    const { testbed, stuck, attempts } = await setup();
    const event = registered(randomUUID(), 1);
    await testbed.produce([record(event)]);
    await eventually(() => expect(attempts.count).toBeGreaterThanOrEqual(3));

    // A transient failure is retried forever; closing must not wait for it to end.
    await withDeadline(stuck.close(), 5_000, 'closing the consumer (stuck in the retry loop) did not finish');

    await testbed.startConsumer();
    await eventually(async () => expect((await testbed.effects()).map((e) => e.event_id)).toEqual([event.id]));
    expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(0);
  }, 30_000);
});
