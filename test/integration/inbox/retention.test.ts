import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/eventually';
import { record, registered } from './support/records';
import { closeTestbeds, createTestbed } from './support/testbed';

const hourMs = 60 * 60 * 1000;

async function setup() {
  const testbed = await createTestbed();
  await testbed.startConsumer({ inbox: { retentionMs: hourMs, pruneIntervalMs: 100 } });
  return { testbed };
}

describe('the inbox retention', () => {
  afterEach(closeTestbeds);

  it('prunes inbox rows older than the retention and keeps newer ones', async () => {
    const { testbed } = await setup();
    const old = registered(randomUUID(), 1);
    const recent = registered(randomUUID(), 1);
    await testbed.produce([record(old), record(recent)]);
    await eventually(async () => expect((await testbed.inboxEventIds()).sort()).toEqual([old.id, recent.id].sort()));

    // Just past and just inside the one-hour retention.
    await testbed.db.query(`update inbox set processed_at = now() - interval '61 minutes' where event_id = $1`, [old.id]);
    await testbed.db.query(`update inbox set processed_at = now() - interval '59 minutes' where event_id = $1`, [recent.id]);

    await eventually(async () => expect(await testbed.inboxEventIds()).toEqual([recent.id]));
  });
});
