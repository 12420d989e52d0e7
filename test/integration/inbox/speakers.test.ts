import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/eventually';
import { closeTestbeds, createTestbed } from './support/testbed';
import { deleted, forged, groupDeleted, record, registered, updated } from './support/records';

async function setup() {
  const testbed = await createTestbed();
  await testbed.startConsumer();
  const deadLetters = await testbed.readDeadLetters();
  return { testbed, deadLetters };
}

describe('the inbox checks who speaks on a topic', () => {
  afterEach(closeTestbeds);

  it('dead-letters a user update from a source other than /auth as EVENT.WRONG_SOURCE, and later real renames still apply', async () => {
    const { testbed, deadLetters } = await setup();
    const userId = randomUUID();
    // The attack of issue 11: a very high version would make every real rename look older.
    const forgery = forged(updated(userId, 1_000_000, 'forged name'));

    await testbed.produce([record(registered(userId, 1, 'Ada')), forgery, record(updated(userId, 2, 'Ada L.'))]);

    const [letter] = await deadLetters.waitFor(1);
    expect(letter.key).toBe(userId);
    expect(letter.headers).toMatchObject({ ce_source: '/mallory', dlq_error_code: 'EVENT.WRONG_SOURCE' });
    await eventually(async () =>
      expect(await testbed.state(userId)).toEqual({ version: 2, name: 'Ada L.', deleted: false }),
    );
    expect((await testbed.effects()).map((e) => e.version)).toEqual([1, 2]);
  });

  it('dead-letters a forged deletion, even one that names /group-management, and leaves the account alive', async () => {
    const { testbed, deadLetters } = await setup();
    const userId = randomUUID();
    const forgery = forged(deleted(userId, 5), '/group-management');

    await testbed.produce([record(registered(userId, 1, 'Ada')), forgery, record(updated(userId, 2, 'Ada L.'))]);

    const [letter] = await deadLetters.waitFor(1);
    expect(letter.headers).toMatchObject({ ce_type: 'playball.user.deleted.v1', dlq_error_code: 'EVENT.WRONG_SOURCE' });
    await eventually(async () =>
      expect(await testbed.state(userId)).toEqual({ version: 2, name: 'Ada L.', deleted: false }),
    );
  });

  it("dead-letters another topic's event type as EVENT.WRONG_TOPIC, though its owner produced it", async () => {
    const { testbed, deadLetters } = await setup();
    const userId = randomUUID();
    const misplaced = groupDeleted(randomUUID(), 1);

    await testbed.produce([record(misplaced), record(registered(userId, 1, 'Ada'))]);

    const [letter] = await deadLetters.waitFor(1);
    expect(letter.headers).toMatchObject({
      ce_id: misplaced.id,
      ce_source: '/group-management',
      dlq_error_code: 'EVENT.WRONG_TOPIC',
    });
    await eventually(async () => expect((await testbed.effects()).map((e) => e.user_id)).toEqual([userId]));
    expect(await testbed.inboxEventIds()).not.toContain(misplaced.id);
  });
});
