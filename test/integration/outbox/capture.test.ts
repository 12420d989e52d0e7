import { Client, Notification } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { addEvent, addToOutbox, event, OutboxCaptureError, OutboxRelay } from '@playball/outbox';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { publishedEvents } from '../../support/events';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidget, Widget } from './support/widget';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('capture of entity changes', () => {
  let testbed: OutboxTestbed;
  let relay: OutboxRelay;
  let reader: TopicReader;

  beforeAll(async () => {
    testbed = await openOutboxTestbed();
    reader = await testbed.readTopic();
    relay = testbed.relay();
    relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await reader.stop();
    await testbed.close();
  });

  function setup() {
    const { db } = testbed;
    return {
      db,
      reader,
      widgets: db.getRepository(Widget),
      outbox: (key: string, manager?: EntityManager) => outboxOf(manager ?? db.manager, key),
    };
  }

  it('publishes insert, update and remove as the mapped events with CloudEvents headers', async () => {
    const { db, reader, widgets } = setup();
    const widget = await createWidget(db, 'first');
    widget.name = 'second';
    await widgets.save(widget);
    const { id } = widget;
    await widgets.remove(widget);

    const records = await reader.waitFor(4, (r) => r.key === id);
    expect(records.map((r) => r.headers.ce_type ?? (r.value === null ? 'tombstone' : 'no type'))).toEqual([
      'playball.user.registered.v1',
      'playball.user.updated.v1',
      'playball.user.deleted.v1',
      'tombstone',
    ]);
    const events = publishedEvents(records);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.data)).toEqual([
      { userId: id, displayName: 'first', version: 1 },
      { userId: id, displayName: 'second', version: 2 },
      { userId: id, version: 3 },
    ]);
    for (const [index, e] of events.entries()) {
      expect(e.id).toMatch(UUID_V7);
      expect(e.subject).toBe(id);
      expect(records[index].headers).toMatchObject({
        ce_specversion: '1.0',
        ce_source: '/auth',
        'content-type': 'application/json',
      });
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it("writes the outbox row in the change's own transaction: visible in it, invisible outside until commit", async () => {
    const { db, outbox } = setup();
    const id = uuidv7();
    await db.transaction(async (manager) => {
      await manager.save(Widget, { id, name: 'pending' });
      await expect(outbox(id, manager)).resolves.toEqual(['playball.user.registered.v1']);
      await expect(outbox(id)).resolves.toEqual([]);
    });
    await expect(outbox(id)).resolves.toEqual(['playball.user.registered.v1']);
  });

  it('publishes nothing for an update the mapper ignores', async () => {
    const { db, reader, widgets, outbox } = setup();
    const widget = await createWidget(db, 'kept');
    widget.secret = 'not an event';
    await widgets.save(widget);
    expect(widget.version).toBe(2);
    await expect(outbox(widget.id)).resolves.toEqual(['playball.user.registered.v1']);

    widget.name = 'renamed';
    await widgets.save(widget);
    const records = await reader.waitFor(2, (r) => r.key === widget.id);
    expect(publishedEvents(records).map((e) => e.sequence)).toEqual([1, 3]);
  });

  it('never moves the version backwards when a stale object is saved (reload: false)', async () => {
    const { db, widgets } = setup();
    const widget = await createWidget(db, 'v1');
    widget.name = 'v2';
    await widgets.save(widget, { reload: false });
    widget.name = 'v3';
    await widgets.save(widget, { reload: false });
    await expect(widgets.findOneByOrFail({ id: widget.id })).resolves.toMatchObject({ name: 'v3', version: 3 });
    await expect(outboxSequences(db, widget.id)).resolves.toEqual([1, 2, 3]);
  });

  it('gives a removal the version after an update that commits while the removal waits for its lock', async () => {
    const { db } = setup();
    const widget = await createWidget(db, 'v1');
    const updater = db.createQueryRunner();
    await updater.startTransaction();
    try {
      await updater.manager.save(Widget, { ...widget, name: 'v2' });
      const removal = db.transaction(async (manager) =>
        manager.remove(await manager.findOneByOrFail(Widget, { id: widget.id })),
      );
      await eventually(async () => expect(await sessionsWaitingOnLocks(db)).toBe(1));
      await updater.commitTransaction();
      await removal;
    } finally {
      await updater.release();
    }
    await expect(outboxSequences(db, widget.id)).resolves.toEqual([1, 2, 3]);
  });

  it('publishes nothing for the removal of a row that is already gone', async () => {
    const { db, widgets, outbox } = setup();
    const widget = await createWidget(db, 'once');
    const stale = { ...widget };
    await widgets.remove(widget);
    await widgets.remove(widgets.create(stale));
    await expect(outbox(stale.id)).resolves.toEqual([
      'playball.user.registered.v1',
      'playball.user.deleted.v1',
      'kafka.tombstone',
    ]);
  });

  it.each([
    ['repository.update', (db: DataSource, id: string) => db.getRepository(Widget).update({ id }, { name: 'bulk' })],
    ['repository.delete', (db: DataSource, id: string) => db.getRepository(Widget).delete({ id })],
    ['repository.increment', (db: DataSource, id: string) => db.getRepository(Widget).increment({ id }, 'version', 1)],
    [
      'QueryBuilder update',
      (db: DataSource, id: string) =>
        db.createQueryBuilder().update(Widget).set({ name: 'bulk' }).where('id = :id', { id }).execute(),
    ],
    [
      'QueryBuilder delete',
      (db: DataSource, id: string) => db.createQueryBuilder().delete().from(Widget).where('id = :id', { id }).execute(),
    ],
    [
      'manager.update inside a transaction',
      (db: DataSource, id: string) => db.transaction((manager) => manager.update(Widget, { id }, { name: 'bulk' })),
    ],
    [
      'manager.delete inside a transaction',
      (db: DataSource, id: string) => db.transaction((manager) => manager.delete(Widget, { id })),
    ],
  ])('refuses %s on a mapped entity loudly and writes nothing', async (_, change) => {
    const { db, widgets, outbox } = setup();
    const widget = await createWidget(db, 'original');

    await expect(change(db, widget.id)).rejects.toBeInstanceOf(OutboxCaptureError);

    await expect(widgets.findOneBy({ id: widget.id })).resolves.toMatchObject({ name: 'original', version: 1 });
    await expect(outbox(widget.id)).resolves.toEqual(['playball.user.registered.v1']);
  });

  it('refuses a change saved outside a transaction (transaction: false)', async () => {
    const { db, widgets, outbox } = setup();
    const id = uuidv7();
    await expect(widgets.save({ id, name: 'loose' }, { transaction: false })).rejects.toMatchObject({
      code: 'OUTBOX.NO_TRANSACTION',
    });
    await expect(widgets.existsBy({ id })).resolves.toBe(false);

    const widget = await createWidget(db, 'original');
    widget.name = 'loose';
    await expect(widgets.save(widget, { transaction: false })).rejects.toBeInstanceOf(OutboxCaptureError);
    await expect(widgets.remove(widget, { transaction: false })).rejects.toBeInstanceOf(OutboxCaptureError);
    await expect(widgets.findOneBy({ id: widget.id })).resolves.toMatchObject({ name: 'original' });
    await expect(outbox(id)).resolves.toEqual([]);
    await expect(outbox(widget.id)).resolves.toEqual(['playball.user.registered.v1']);
  });

  it('refuses addEvent and addToOutbox outside a transaction, and accepts them inside one', async () => {
    const { db, outbox } = setup();
    const userId = uuidv7();
    const data = { userId, displayName: 'Ada', version: 1 };
    const runner = db.createQueryRunner();
    try {
      await expect(addEvent(db.manager, 'playball.user.registered.v1', data)).rejects.toMatchObject({
        code: 'OUTBOX.NO_TRANSACTION',
      });
      await expect(addToOutbox(runner.manager, [event('playball.user.registered.v1', data)])).rejects.toBeInstanceOf(
        OutboxCaptureError,
      );
    } finally {
      await runner.release();
    }
    await expect(outbox(userId)).resolves.toEqual([]);

    await db.transaction((manager) => addEvent(manager, 'playball.user.registered.v1', data));
    await expect(outbox(userId)).resolves.toEqual(['playball.user.registered.v1']);
  });

  it('wakes a listener at commit, never before it and never for a rollback', async () => {
    const { db } = setup();
    const listener = await listen(testbed.database.url);
    try {
      const transaction = db.createQueryRunner();
      await transaction.startTransaction();
      await transaction.manager.save(Widget, { id: uuidv7(), name: 'pending' });
      await listener.roundTrip();
      expect(listener.received).toEqual([]);
      await transaction.rollbackTransaction();

      await transaction.startTransaction();
      await transaction.manager.save(Widget, { id: uuidv7(), name: 'pending' });
      await listener.roundTrip();
      expect(listener.received).toEqual([]);
      await transaction.commitTransaction();
      await transaction.release();

      await eventually(() => expect(listener.received).toEqual(['outbox']));
    } finally {
      await listener.close();
    }
  });
});

async function outboxOf(manager: EntityManager, key: string): Promise<string[]> {
  const rows = (await manager.query(`select type from outbox where key = $1 order by id`, [key])) as { type: string }[];
  return rows.map((r) => r.type);
}

async function outboxSequences(db: DataSource, key: string): Promise<number[]> {
  const rows = (await db.query(
    `select (headers->>'ce_sequence')::int as sequence from outbox where key = $1 and type <> 'kafka.tombstone' order by id`,
    [key],
  )) as { sequence: number }[];
  return rows.map((r) => r.sequence);
}

async function sessionsWaitingOnLocks(db: DataSource): Promise<number> {
  const [row] = (await db.query(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
  )) as [{ n: number }];
  return row.n;
}

/** A second session LISTENing on the outbox channel, as the relay's lock connection does. */
async function listen(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const received: string[] = [];
  client.on('notification', (n: Notification) => received.push(n.channel));
  await client.query('listen outbox');
  return {
    received,
    /** A notification already sent would have arrived before this round trip completes. */
    roundTrip: () => client.query('select 1'),
    close: () => client.end(),
  };
}
