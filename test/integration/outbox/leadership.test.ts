import { DataSource } from 'typeorm';
import { KafkaOutboxPublisher } from '@playball/outbox';
import { LeaderLock } from '../../../libs/outbox/src/relay/leader-lock';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { isStrictlyIncreasing, publishedEvents, sequencesByKey } from '../../support/events';
import { committedEventIds, RecordingPublisher, unpublishedCount, widgetPublisher, widgetRelay } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidgets, renameWidget, widgetDataSource } from './support/widget';

describe('relay leadership', () => {
  let testbed: OutboxTestbed;
  let kafkaPublishers: KafkaOutboxPublisher[];
  let reader: TopicReader;

  beforeAll(async () => {
    testbed = await openOutboxTestbed();
    kafkaPublishers = [testbed.publisher, widgetPublisher(testbed.prefix)];
    reader = await testbed.readTopic();
  });

  afterAll(async () => {
    await kafkaPublishers[1].close();
    await reader.stop();
    await testbed.close();
  });

  /** Two relays of one service, as two app instances would run them: own pool, own producer. */
  async function setup(options: { firstPollIntervalMs?: number } = {}) {
    const { db, database } = testbed;
    const pools = [await widgetDataSource(database.url, 2), await widgetDataSource(database.url, 2)];
    const publishers = kafkaPublishers.map((p) => new RecordingPublisher(p));
    const relays = [
      widgetRelay(pools[0], database.url, publishers[0], { pollIntervalMs: options.firstPollIntervalMs ?? 100 }),
      widgetRelay(pools[1], database.url, publishers[1]),
    ];
    const ids = await createWidgets(db, 5);
    let saves = 0;
    return {
      db,
      relays,
      publishers,
      leaders: () => relays.filter((r) => r.isLeader),
      /** Renames the widgets, checking after each commit that no two relays lead at once. */
      write: async (count: number) => {
        for (let i = 0; i < count; i += 1) {
          await renameWidget(db, ids[i % ids.length], `save ${(saves += 1)}`);
          expect(relays.filter((r) => r.isLeader).length).toBeLessThanOrEqual(1);
        }
      },
      published: () => eventually(async () => expect(await unpublishedCount(db)).toBe(0)),
      teardown: async () => {
        await Promise.all(relays.map((r) => r.stop()));
        await Promise.all(pools.map((p) => p.destroy()));
      },
    };
  }

  async function expectNoLossAndOrder() {
    const committed = await committedEventIds(testbed.db);
    const events = publishedEvents(await reader.waitForEvents(committed));
    expect(new Set(events.map((e) => e.id))).toEqual(new Set(committed));
    for (const [key, sequences] of sequencesByKey(events)) {
      expect({ key, sequences, increasing: isStrictlyIncreasing(sequences) }).toMatchObject({ increasing: true });
    }
  }

  it('lets exactly one of two running relays publish, losing nothing and keeping per-aggregate order', async () => {
    const { relays, publishers, leaders, write, published, teardown } = await setup();
    try {
      relays.forEach((r) => r.start());
      await eventually(() => expect(leaders()).toHaveLength(1));
      await write(30);
      await published();

      const leader = relays.indexOf(leaders()[0]);
      expect(publishers[leader].published.length).toBeGreaterThanOrEqual(30);
      expect(publishers[1 - leader].published).toEqual([]);
    } finally {
      await teardown();
    }
    await expectNoLossAndOrder();
  });

  it('hands over to the stand-by when the leader stops; the new leader publishes what follows', async () => {
    const { relays, publishers, leaders, write, published, teardown } = await setup();
    const [first, second] = relays;
    try {
      first.start();
      await eventually(() => expect(first.isLeader).toBe(true));
      second.start();
      await write(10);
      await published();

      await first.stop();
      await eventually(() => expect(leaders()).toEqual([second]));
      const before = publishers[1].published.length;
      await write(10);
      await published();
      expect(publishers[1].published.length - before).toBeGreaterThanOrEqual(10);
    } finally {
      await teardown();
    }
    await expectNoLossAndOrder();
  });

  it("hands over when the leader's lock connection is killed; the old leader stands by", async () => {
    // The first relay only notices the loss when its 2 s poll ends; the stand-by tries every 100 ms.
    const { db, relays, publishers, write, published, teardown } = await setup({ firstPollIntervalMs: 2_000 });
    const [first, second] = relays;
    try {
      first.start();
      await eventually(() => expect(first.isLeader).toBe(true));
      second.start();
      await write(10);
      await published();

      await killAdvisoryLockHolder(db);
      await eventually(() => expect(second.isLeader).toBe(true));
      await eventually(() => expect(first.isLeader).toBe(false));
      const before = publishers[1].published.length;
      await write(10);
      await published();
      expect(publishers[1].published.length - before).toBeGreaterThanOrEqual(10);
    } finally {
      await teardown();
    }
    await expectNoLossAndOrder();
  });

  it('keeps one connection per stand-by across its attempts, and takes the lock on it once free', async () => {
    const { db, database } = testbed;
    const key = 'outbox-relay:standby-test';
    const leader = new LeaderLock(database.url, key, 'outbox', () => undefined);
    const standby = new LeaderLock(database.url, key, 'outbox', () => undefined);
    const sessions = async () =>
      (
        (await db.query(`select pid from pg_stat_activity where application_name = $1 order by pid`, [key])) as {
          pid: number;
        }[]
      ).map((r) => r.pid);
    try {
      await expect(leader.tryAcquire()).resolves.toBe(true);
      const leaderSession = await sessions();
      const attempts = [await standby.tryAcquire(), await standby.tryAcquire(), await standby.tryAcquire()];
      expect(attempts).toEqual([false, false, false]);
      const both = await sessions();
      expect(both).toHaveLength(2);

      await leader.release();
      // The lock is free once the leader's backend has exited, a moment after its client closed.
      await eventually(async () => expect(await standby.tryAcquire()).toBe(true));
      const standbySession = both.filter((pid) => !leaderSession.includes(pid));
      await eventually(async () => expect(await sessions()).toEqual(standbySession));
    } finally {
      await leader.release();
      await standby.release();
    }
  });

  it('notices a killed lock connection and can take the lock again once it is free', async () => {
    const { db, database } = testbed;
    const lock = new LeaderLock(database.url, 'outbox-relay:lock-test', 'outbox', () => undefined);
    try {
      await expect(lock.tryAcquire()).resolves.toBe(true);
      await killAdvisoryLockHolder(db);
      await eventually(() => expect(lock.held).toBe(false));
      await expect(lock.tryAcquire()).resolves.toBe(true);
      expect(lock.held).toBe(true);
    } finally {
      await lock.release();
    }
  });
});

/** What a crashed host or a network cut does to the leader: its session, and so its lock, ends. */
async function killAdvisoryLockHolder(db: DataSource): Promise<void> {
  const killed = (await db.query(
    `select pg_terminate_backend(pid) as killed
       from pg_locks
      where locktype = 'advisory' and granted
        and database = (select oid from pg_database where datname = current_database())`,
  )) as { killed: boolean }[];
  expect(killed).toEqual([{ killed: true }]);
}
