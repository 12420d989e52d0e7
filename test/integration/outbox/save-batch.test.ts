import { DataSource, MigrationInterface } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ZodError } from 'zod';
import { defineOutboxMapper, outboxSubscriber } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { libsDataSourceOptions } from '../../support/libs-data-source';
import { StatementLog } from '../../support/statement-log';
import { CreateWidgets1764199990000, Widget, widgetMapper } from './support/widget';

const UNMAPPABLE = 'unmappable';

/** The widgets' mapper, broken for one name as a mapper's bug or a missing intent would break it. */
const mapper = defineOutboxMapper<Widget>({
  ...widgetMapper,
  inserted: (widget, intent) => {
    if (widget.name === UNMAPPABLE) throw new Error('this widget cannot be mapped');
    return widgetMapper.inserted!(widget, intent);
  },
});

describe('capture per save(): one outbox insert, all or nothing', () => {
  let database: TestDatabase;
  let db: DataSource;
  const log = new StatementLog();

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    const libs = libsDataSourceOptions(database.url);
    db = await new DataSource({
      ...libs,
      entities: [Widget],
      subscribers: [outboxSubscriber([mapper])],
      migrations: [...((libs.migrations ?? []) as (new () => MigrationInterface)[]), CreateWidgets1764199990000],
      logging: ['query'],
      logger: log,
    }).initialize();
    await db.runMigrations();
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  /** Runs `work` in a transaction; returns how many outbox inserts it sent. */
  async function outboxInserts(work: (manager: DataSource['manager']) => Promise<unknown>): Promise<number> {
    const from = log.statements.length;
    await db.transaction(work);
    return log.since(from).filter((s) => /insert into outbox/i.test(s)).length;
  }

  /** The outbox rows of these widgets, in the order the relay would publish them: type and key. */
  async function outboxOf(ids: string[]): Promise<[string, string][]> {
    const rows: { type: string; key: string }[] = await db.query(
      `select type, key from outbox where key = any($1) order by id`,
      [ids],
    );
    return rows.map((r) => [r.type, r.key]);
  }

  function newWidgets(count: number): Widget[] {
    return Array.from({ length: count }, (_, i) => Object.assign(new Widget(), { id: uuidv7(), name: `w${i}` }));
  }

  it('writes the events of a save of several inserts, updates and removals in one insert each, in the entities’ order', async () => {
    const widgets = newWidgets(5);
    const ids = widgets.map((w) => w.id);

    expect(await outboxInserts((manager) => manager.save(widgets))).toBe(1);
    widgets.forEach((w, i) => (w.name = `renamed ${i}`));
    // The last widget is saved unchanged: its update publishes nothing, the others still go together.
    widgets[4].name = 'w4';
    expect(await outboxInserts((manager) => manager.save(widgets))).toBe(1);
    expect(await outboxInserts((manager) => manager.remove(widgets.slice(0, 2)))).toBe(1);

    expect(await outboxOf(ids)).toEqual([
      ...ids.map((id) => ['playball.user.registered.v1', id]),
      ...ids.slice(0, 4).map((id) => ['playball.user.updated.v1', id]),
      ['playball.user.deleted.v1', ids[0]],
      ['kafka.tombstone', ids[0]],
      ['playball.user.deleted.v1', ids[1]],
      ['kafka.tombstone', ids[1]],
    ]);
  });

  it('writes one insert per save when a transaction saves several times, in the saves’ order', async () => {
    const [first, second] = newWidgets(2);
    expect(
      await outboxInserts(async (manager) => {
        await manager.save(first);
        await manager.save(second);
        await manager.save(Object.assign(first, { name: 'renamed' }));
      }),
    ).toBe(3);
    expect(await outboxOf([first.id, second.id])).toEqual([
      ['playball.user.registered.v1', first.id],
      ['playball.user.registered.v1', second.id],
      ['playball.user.updated.v1', first.id],
    ]);
  });

  it('fails the whole save when one entity’s event is invalid, and writes none of them', async () => {
    const widgets = newWidgets(3);
    // An empty display name breaks the event contract (1–100 characters).
    widgets[1].name = '';

    await expect(db.transaction((manager) => manager.save(widgets))).rejects.toBeInstanceOf(ZodError);

    const ids = widgets.map((w) => w.id);
    await expect(db.getRepository(Widget).countBy(ids.map((id) => ({ id })))).resolves.toBe(0);
    await expect(outboxOf(ids)).resolves.toEqual([]);
  });

  it('fails the whole save when one entity cannot be mapped, and no later capture commits on its own', async () => {
    const widgets = newWidgets(3);
    widgets[1].name = UNMAPPABLE;

    await expect(db.transaction((manager) => manager.save(widgets))).rejects.toThrow('this widget cannot be mapped');

    const ids = widgets.map((w) => w.id);
    await expect(db.getRepository(Widget).countBy(ids.map((id) => ({ id })))).resolves.toBe(0);
    // The third widget's capture once ran after the rollback and committed its row alone.
    await expect(outboxOf(ids)).resolves.toEqual([]);
  });

  describe('a transaction holding a change whose capture failed', () => {
    it.each([
      ['cannot be mapped', UNMAPPABLE],
      ['has an event the contract refuses', ''],
    ])('refuses to commit when the failure was caught (the change %s), and keeps nothing', async (_, badName) => {
      const [good, bad, later] = newWidgets(3);
      bad.name = badName;

      const committing = db.transaction(async (manager) => {
        await manager.save(good);
        await manager.save(bad).catch(() => undefined);
        // A savepoint after the failure holds none of it: it commits into the transaction.
        await manager.transaction((inner) => inner.save(later));
      });

      await expect(committing).rejects.toMatchObject({ code: 'OUTBOX.CAPTURE_FAILED' });
      const ids = [good.id, bad.id, later.id];
      await expect(db.getRepository(Widget).countBy(ids.map((id) => ({ id })))).resolves.toBe(0);
      await expect(outboxOf(ids)).resolves.toEqual([]);
    });

    it('commits the rest when the failed change had a savepoint of its own, rolled back', async () => {
      const [good, bad] = newWidgets(2);
      bad.name = UNMAPPABLE;

      await db.transaction(async (manager) => {
        await manager.save(good);
        await expect(manager.transaction((inner) => inner.save(bad))).rejects.toThrow('this widget cannot be mapped');
      });

      await expect(db.getRepository(Widget).findBy([{ id: good.id }, { id: bad.id }])).resolves.toEqual([
        expect.objectContaining({ id: good.id }),
      ]);
      await expect(outboxOf([good.id, bad.id])).resolves.toEqual([['playball.user.registered.v1', good.id]]);
    });

    it('refuses the savepoint that caught the failure, and lets the transaction around it commit', async () => {
      const [good, bad] = newWidgets(2);
      bad.name = UNMAPPABLE;

      await db.transaction(async (manager) => {
        await manager.save(good);
        const savepoint = manager.transaction(async (inner) => {
          await inner.save(bad).catch(() => undefined);
        });
        await expect(savepoint).rejects.toMatchObject({ code: 'OUTBOX.CAPTURE_FAILED' });
      });

      await expect(outboxOf([good.id, bad.id])).resolves.toEqual([['playball.user.registered.v1', good.id]]);
      await expect(db.getRepository(Widget).existsBy({ id: bad.id })).resolves.toBe(false);
    });
  });
});
