import { randomUUID } from 'node:crypto';
import { CloudEvent } from '@playball/events';
import { eventually } from '../../support/eventually';
import { deleted, record, registered, updated } from './support/records';
import { closeTestbeds, createTestbed, Testbed } from './support/testbed';

async function setup() {
  const testbed = await createTestbed();
  await testbed.startConsumer();
  // Late and replayed events carry new event ids here, so that the inbox lets them through and
  // only the version check (applyIfNewer) stands between them and the state.
  const deliver = async (...events: CloudEvent[]) => {
    await testbed.produce(events.map(record));
    await eventually(async () =>
      expect(await testbed.inboxEventIds()).toEqual(expect.arrayContaining(events.map((e) => e.id))),
    );
  };
  return { testbed, deliver };
}

async function changedFlags(testbed: Testbed, events: CloudEvent[]) {
  const effects = await testbed.effects();
  return events.map((event) => effects.find((e) => e.event_id === event.id)?.changed);
}

describe('the inbox with late and replayed events', () => {
  afterEach(closeTestbeds);

  it('never lets an older event overwrite newer state', async () => {
    const { testbed, deliver } = await setup();
    const userId = randomUUID();
    const current = [registered(userId, 1), updated(userId, 3, 'third')];
    const stale = [updated(userId, 2, 'second'), registered(userId, 1, 'replayed first')];

    await deliver(...current);
    await deliver(...stale);

    expect(await testbed.state(userId)).toEqual({ version: 3, name: 'third', deleted: false });
    expect(await changedFlags(testbed, [...current, ...stale])).toEqual([true, true, false, false]);
  });

  it('never revives a deleted user when older events arrive after the deletion', async () => {
    const { testbed, deliver } = await setup();
    const userId = randomUUID();
    const history = [registered(userId, 1), updated(userId, 3), deleted(userId, 4)];
    const stale = [updated(userId, 3, 'late update'), registered(userId, 1, 'replayed registration')];

    await deliver(...history);
    await deliver(...stale);

    expect(await testbed.state(userId)).toEqual({ version: 4, name: null, deleted: true });
    expect(await changedFlags(testbed, stale)).toEqual([false, false]);
  });
});
