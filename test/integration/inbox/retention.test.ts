import { randomUUID } from 'node:crypto';
import { Inbox } from '@playball/inbox';
import { eventually } from '../../support/eventually';
import { record, registered } from './support/records';
import { closeTestbeds, createTestbed } from './support/testbed';

const hourMs = 60 * 60 * 1000;

async function setup(pruneIntervalMs: number) {
  const testbed = await createTestbed();
  const consumer = await testbed.startConsumer({ inbox: { retentionMs: hourMs, pruneIntervalMs } });
  return { testbed, inbox: consumer.app.get(Inbox) };
}

describe('the inbox retention', () => {
  afterEach(closeTestbeds);

  it('prunes inbox rows older than the retention and keeps newer ones', async () => {
    const { testbed } = await setup(100);
    const old = registered(randomUUID(), 1);
    const recent = registered(randomUUID(), 1);
    await testbed.produce([record(old), record(recent)]);
    await eventually(async () => expect((await testbed.inboxEventIds()).sort()).toEqual([old.id, recent.id].sort()));

    // Just past and just inside the one-hour retention.
    await testbed.db.query(`update inbox set processed_at = now() - interval '61 minutes' where event_id = $1`, [
      old.id,
    ]);
    await testbed.db.query(`update inbox set processed_at = now() - interval '59 minutes' where event_id = $1`, [
      recent.id,
    ]);

    await eventually(async () => expect(await testbed.inboxEventIds()).toEqual([recent.id]));
  });

  it('prunes a backlog larger than one delete batch in a single run', async () => {
    const { testbed, inbox } = await setup(hourMs);
    const recent = registered(randomUUID(), 1);
    await testbed.produce([record(recent)]);
    await eventually(async () => expect(await testbed.inboxEventIds()).toEqual([recent.id]));
    // 25,000 rows from two hours ago, as after a long stop of the app: more than two batches of 10,000.
    await testbed.db.query(
      `insert into inbox (consumer, event_id, type, processed_at)
       select $1, gen_random_uuid(), 'playball.user.updated.v1', now() - interval '2 hours' from generate_series(1, 25000)`,
      [testbed.consumerGroup],
    );

    await expect(inbox.prune()).resolves.toBe(25_000);
    expect(await testbed.inboxEventIds()).toEqual([recent.id]);
  });
});
