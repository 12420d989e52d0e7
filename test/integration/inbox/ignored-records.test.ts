import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/eventually';
import { deleted, record, registered, tombstone } from './support/records';
import { closeTestbeds, ConsumerOptions, createTestbed, Testbed } from './support/testbed';
import { stateHandlers } from './support/test-consumer.module';

async function appliedEventIds(testbed: Testbed) {
  return (await testbed.effects()).map((e) => e.event_id).sort();
}

async function setup(options: ConsumerOptions = {}) {
  const testbed = await createTestbed();
  await testbed.startConsumer(options);
  return { testbed };
}

describe('the inbox with records it acknowledges without applying', () => {
  afterEach(closeTestbeds);

  it('acknowledges and ignores a tombstone', async () => {
    const { testbed } = await setup();
    const gone = registered(randomUUID(), 1);
    const later = registered(randomUUID(), 1);

    await testbed.produce([record(gone), tombstone(gone.subject), record(later)]);

    await eventually(async () => expect(await appliedEventIds(testbed)).toEqual([gone.id, later.id].sort()));
    expect(await testbed.state(gone.subject)).toEqual({ version: 1, name: 'name v1', deleted: false });
    await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
    expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(0);
  });

  it('acknowledges and skips an event of the contract it has no handler for, without dead-lettering it', async () => {
    const { 'playball.user.deleted.v1': _ignored, ...withoutDeletion } = stateHandlers;
    const { testbed } = await setup({ handlers: withoutDeletion });
    const user = registered(randomUUID(), 1);
    const deletion = deleted(user.subject, 2);
    const later = registered(randomUUID(), 1);

    await testbed.produce([record(user), record(deletion), record(later)]);

    await eventually(async () => expect(await appliedEventIds(testbed)).toEqual([user.id, later.id].sort()));
    expect(await testbed.state(user.subject)).toEqual({ version: 1, name: 'name v1', deleted: false });
    await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
    expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(0);
  });
});
