import { v7 as uuidv7 } from 'uuid';
import { addEvent } from '@playball/outbox';
import { HOUR_MS } from '@playball/platform/config';
import { poolOf, pruneOlderThan } from '@playball/platform/database';
import { publishedOutboxRows } from '../../../libs/outbox/src/sql/prune-published';
import { eventually } from '../../support/eventually';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';

describe('pruning the outbox', () => {
  let testbed: OutboxTestbed;

  beforeAll(async () => {
    testbed = await openOutboxTestbed({ createTopics: false });
  });

  afterAll(async () => {
    await testbed.close();
  });

  /** Three rows two hours old: one published two hours ago, one published a minute ago, one not yet. */
  async function setup() {
    const { db } = testbed;
    await db.query(`delete from outbox`);
    const [oldPublished, recentlyPublished, unpublished] = [uuidv7(), uuidv7(), uuidv7()];
    await db.transaction(async (manager) => {
      for (const userId of [oldPublished, recentlyPublished, unpublished]) {
        await addEvent(manager, 'playball.user.registered.v1', { userId, displayName: 'x', version: 1 });
      }
    });
    await db.query(`update outbox set created_at = now() - interval '2 hours'`);
    await db.query(`update outbox set published_at = now() - interval '2 hours' where key = $1`, [oldPublished]);
    await db.query(`update outbox set published_at = now() - interval '1 minute' where key = $1`, [recentlyPublished]);
    return { db, oldPublished, recentlyPublished, unpublished };
  }

  async function remainingKeys(): Promise<string[]> {
    const rows = (await testbed.db.query(`select key from outbox order by id`)) as { key: string }[];
    return rows.map((r) => r.key);
  }

  it('deletes published rows older than the retention and keeps newer and unpublished ones', async () => {
    const { db, recentlyPublished, unpublished } = await setup();
    await expect(pruneOlderThan(poolOf(db), publishedOutboxRows, HOUR_MS)).resolves.toBe(1);
    await expect(remainingKeys()).resolves.toEqual([recentlyPublished, unpublished]);
  });

  it('is done by the relay once the outbox is drained, with the configured retention', async () => {
    const { db, recentlyPublished, unpublished } = await setup();
    const relay = testbed.relay({ retentionMs: HOUR_MS, pruneIntervalMs: 0 });
    relay.start();
    try {
      await eventually(async () => expect(await remainingKeys()).toEqual([recentlyPublished, unpublished]));
      const [row] = (await db.query(`select published_at from outbox where key = $1`, [unpublished])) as [
        { published_at: Date | null },
      ];
      expect(row.published_at).not.toBeNull();
    } finally {
      await relay.stop();
    }
  });
});
