import { DataSource } from 'typeorm';
import { PostgresRateLimitStorage } from '@playball/platform/throttling';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { eventually } from '../support/eventually';

describe('PostgresRateLimitStorage', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  let n = 0;
  function setup() {
    return { storage: new PostgresRateLimitStorage(dataSource), key: `key-${++n}` };
  }

  it('counts every one of concurrent requests once: one atomic upsert each', async () => {
    const { storage, key } = setup();

    const records = await Promise.all(Array.from({ length: 20 }, () => storage.increment(key, 600_000, 5)));

    expect(records.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(records.filter((r) => r.isBlocked)).toHaveLength(15);
    for (const blocked of records.filter((r) => r.isBlocked)) {
      expect(blocked.timeToBlockExpire).toBeGreaterThan(590);
      expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(600);
    }
  });

  it('blocks a key until its window ends, then starts a new window', async () => {
    const { storage, key } = setup();
    await storage.increment(key, 300, 1);

    expect(await storage.increment(key, 300, 1)).toMatchObject({ totalHits: 2, isBlocked: true, timeToBlockExpire: 1 });
    // Requests in the window do not extend it; the first one after it counts from 1 again.
    await eventually(async () =>
      expect(await storage.increment(key, 300, 1)).toMatchObject({ totalHits: 1, isBlocked: false }),
    );
  });

  it('prunes expired windows and keeps live ones', async () => {
    const { storage, key } = setup();
    const live = `${key}-live`;
    await storage.increment(key, 1, 10);
    await storage.increment(live, 600_000, 10);
    const keys = async () =>
      ((await dataSource.query(`select key from rate_limits where key like $1`, [`${key}%`])) as { key: string }[]).map(
        (r) => r.key,
      );

    await eventually(async () => {
      await storage.prune();
      expect(await keys()).toEqual([live]);
    });
  });
});
