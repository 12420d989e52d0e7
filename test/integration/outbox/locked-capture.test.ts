import {
  Column,
  DataSource,
  Entity,
  EntityManager,
  In,
  MigrationInterface,
  ObjectLiteral,
  PrimaryColumn,
  QueryRunner,
  UpdateDateColumn,
} from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { defineOutboxMapper, lockAllForChange, lockForChange, outboxSubscriber } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { libsDataSourceOptions } from '../../support/libs-data-source';
import { StatementLog } from '../../support/statement-log';
import { CreateWidgets1764199990000, createWidget, Widget } from './support/widget';

/** What the mapper was given, per change: the row it maps and the row before the change. */
const mapped: { row: ObjectLiteral; before?: ObjectLiteral }[] = [];

const recordingMapper = defineOutboxMapper<Widget>({
  entity: Widget,
  updated: (row, before) => {
    mapped.push({ row: { ...row }, before: { ...before } });
    return [];
  },
  removed: (row) => {
    mapped.push({ row: { ...row } });
    return [];
  },
});

/**
 * Shaped like auth's users: a version the use case sets (not a @VersionColumn) and an update date
 * the database returns; plus a numeric column, whose value reads back as a string.
 */
@Entity('gadgets')
class Gadget {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('numeric')
  price!: string | number;

  @Column('integer')
  version!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

class CreateGadgets1764199990001 implements MigrationInterface {
  name = 'CreateGadgets1764199990001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `create table gadgets (id uuid primary key, name text not null, price numeric not null, version integer not null,
         updated_at timestamptz not null default now())`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table gadgets`);
  }
}

const gadgetMapper = defineOutboxMapper<Gadget>({
  entity: Gadget,
  updated: (row, before) => {
    mapped.push({ row: { ...row }, before: { ...before } });
    return [];
  },
});

/** The selects a transaction ran, without the lock's own. */
function selectsAfterLock(log: StatementLog, from: number): string[] {
  return log.since(from).filter((s) => /^select/i.test(s.trim()));
}

describe('capture of rows locked with lockForChange', () => {
  let database: TestDatabase;
  let db: DataSource;
  const log = new StatementLog();

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    const libs = libsDataSourceOptions(database.url);
    db = await new DataSource({
      ...libs,
      entities: [Widget, Gadget],
      subscribers: [outboxSubscriber([recordingMapper, gadgetMapper])],
      migrations: [
        ...((libs.migrations ?? []) as (new () => MigrationInterface)[]),
        CreateWidgets1764199990000,
        CreateGadgets1764199990001,
      ],
      logging: ['query'],
      logger: log,
    }).initialize();
    await db.runMigrations();
  });

  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  beforeEach(() => {
    mapped.length = 0;
  });

  /** Runs `change` on a row locked with lockForChange; returns the selects it ran and the row read back after it. */
  async function underLock<E extends Widget | Gadget>(
    entity: new () => E,
    id: string,
    change: (manager: EntityManager, locked: E) => Promise<unknown>,
  ) {
    return db.transaction(async (manager) => {
      const locked = await lockForChange<E>(manager, entity, { id } as never);
      const from = log.statements.length;
      await change(manager, locked!);
      const selects = selectsAfterLock(log, from);
      return { selects, after: await manager.findOneBy<E>(entity, { id } as never) };
    });
  }

  function createGadget(): Promise<Gadget> {
    return db.transaction((manager) =>
      manager.save(Object.assign(new Gadget(), { id: uuidv7(), name: 'original', price: '9.50', version: 1 })),
    );
  }

  it.each<[string, (manager: EntityManager, locked: Widget) => Promise<unknown>]>([
    ['the locked object, renamed', (manager, w) => manager.save(Object.assign(w, { name: 'renamed' }))],
    ['a partial object of the same row', (manager, w) => manager.save(Widget, { id: w.id, name: 'partial' })],
    ['a stale copy of the row', (manager, w) => manager.save(Widget, { ...w, version: 0, secret: 'stale copy' })],
    ['a change of a column no event carries', (manager, w) => manager.save(Object.assign(w, { secret: 'hidden' }))],
  ])('maps the row a read-back would give, from one select: %s', async (_, change) => {
    const widget = await createWidget(db, 'original');
    const { selects, after } = await underLock(Widget, widget.id, change);

    expect(mapped).toHaveLength(1);
    expect(mapped[0].row).toEqual({ ...after });
    expect(mapped[0].before).toMatchObject({ version: 1, name: 'original' });
    expect(after?.version).toBe(2);
    // TypeORM's read before the update; the capture adds none.
    expect(selects).toHaveLength(1);
  });

  it('reads the row back when the save does not merge what the database returned (reload: false)', async () => {
    const widget = await createWidget(db, 'original');
    const { selects, after } = await underLock(Widget, widget.id, (manager, w) =>
      manager.save(Object.assign(w, { name: 'not reloaded' }), { reload: false }),
    );
    expect(mapped[0].row).toEqual({ ...after });
    expect(after?.version).toBe(2);
    expect(selects).toHaveLength(2);
  });

  it("maps an update like auth's (a version the use case sets, an update date the database returns) from one select", async () => {
    const gadget = await createGadget();
    const { selects, after } = await underLock(Gadget, gadget.id, (manager, g) =>
      manager.save(Object.assign(g, { name: 'renamed', version: g.version + 1 })),
    );
    expect(mapped[0].row).toEqual({ ...after });
    expect(after).toMatchObject({ name: 'renamed', version: 2 });
    expect(after!.updatedAt.getTime()).toBeGreaterThan(gadget.updatedAt.getTime());
    expect(selects).toHaveLength(1);
  });

  it.each<[string, (manager: EntityManager, locked: Gadget) => Promise<unknown>]>([
    [
      'the update date was not merged (reload: false)',
      (manager, g) => manager.save(Object.assign(g, { name: 'not reloaded' }), { reload: false }),
    ],
    [
      'a partial object was saved without merging what came back (reload: false)',
      (manager, g) => manager.save(Gadget, { id: g.id, name: 'partial' }, { reload: false }),
    ],
    ['a changed column reads back differently (numeric)', (manager, g) => manager.save(Object.assign(g, { price: 7 }))],
  ])('reads a locked row back when %s', async (_, change) => {
    const gadget = await createGadget();
    const { selects, after } = await underLock(Gadget, gadget.id, change);
    expect(mapped[0].row).toEqual({ ...after });
    expect(selects).toHaveLength(2);
  });

  it('maps each of several locked rows saved in one save() from its one select, in one transaction', async () => {
    const gadgets = await Promise.all([createGadget(), createGadget(), createGadget()]);
    const { selects, after } = await db.transaction(async (manager) => {
      const locked = [];
      for (const g of gadgets) locked.push((await lockForChange(manager, Gadget, { id: g.id }))!);
      const from = log.statements.length;
      await manager.save(locked.map((g, i) => Object.assign(g, { name: `batch ${i}`, version: g.version + 1 })));
      const selects = selectsAfterLock(log, from);
      // One query at a time: the transaction is one pg connection.
      const after: Gadget[] = [];
      for (const g of gadgets) after.push(await manager.findOneByOrFail(Gadget, { id: g.id }));
      return { selects, after };
    });
    expect(mapped.map((m) => m.row)).toEqual(after.map((row) => ({ ...row })));
    expect(after.map((row) => [row.name, row.version])).toEqual([
      ['batch 0', 2],
      ['batch 1', 2],
      ['batch 2', 2],
    ]);
    // TypeORM reads the three rows in one select before the updates; the capture adds none.
    expect(selects).toHaveLength(1);
  });

  it("locks several rows in one statement, in primary-key order, and maps each from save()'s one select", async () => {
    const gadgets = await Promise.all([createGadget(), createGadget(), createGadget()]);
    const ids = gadgets.map((g) => g.id).sort();
    const from = log.statements.length;
    const { locks, selects, after } = await db.transaction(async (manager) => {
      const locked = await lockAllForChange(manager, Gadget, { id: In([...ids].reverse()) });
      const locks = selectsAfterLock(log, from);
      expect(locked.map((g) => g.id)).toEqual(ids);
      // Held to the end of the transaction: another connection cannot take one of them.
      await expect(db.query(`select id from gadgets where id = $1 for update nowait`, [ids[1]])).rejects.toMatchObject({
        driverError: { code: '55P03' },
      });
      const fromSave = log.statements.length;
      await manager.save(
        locked.map((g, i) => Object.assign(g, { name: `locked together ${i}`, version: g.version + 1 })),
      );
      const selects = selectsAfterLock(log, fromSave);
      const after: Gadget[] = [];
      for (const id of ids) after.push(await manager.findOneByOrFail(Gadget, { id }));
      return { locks, selects, after };
    });
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatch(/order by .* for update/is);
    expect(mapped.map((m) => m.row)).toEqual(after.map((row) => ({ ...row })));
    expect(after.map((row) => row.version)).toEqual([2, 2, 2]);
    // TypeORM's read before the updates; the capture reads none back.
    expect(selects).toHaveLength(1);
  });

  it('reads the row back when it was not locked with lockForChange', async () => {
    const widget = await createWidget(db, 'original');
    const { selects, after } = await db.transaction(async (manager) => {
      const loaded = await manager.findOneByOrFail(Widget, { id: widget.id });
      const from = log.statements.length;
      await manager.save(Object.assign(loaded, { name: 'unlocked' }));
      return { selects: selectsAfterLock(log, from), after: await manager.findOneBy(Widget, { id: widget.id }) };
    });
    expect(mapped[0].row).toEqual({ ...after });
    expect(selects).toHaveLength(2);
  });

  it('forgets the lock when a savepoint it was taken in rolls back, and at commit', async () => {
    const widget = await createWidget(db, 'original');
    await db.transaction(async (manager) => {
      await manager
        .transaction(async (inner) => {
          await lockForChange(inner, Widget, { id: widget.id });
          throw new Error('roll the savepoint back');
        })
        .catch(() => undefined);
      const from = log.statements.length;
      await manager.save(Widget, { id: widget.id, name: 'after the savepoint' });
      expect(selectsAfterLock(log, from)).toHaveLength(2);
    });

    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await lockForChange(runner.manager, Widget, { id: widget.id });
      await runner.commitTransaction();
      await runner.startTransaction();
      const from = log.statements.length;
      await runner.manager.save(Widget, { id: widget.id, name: 'next transaction' });
      expect(selectsAfterLock(log, from)).toHaveLength(2);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  });

  it('maps a locked removal from the read TypeORM makes for it, without locking the row again', async () => {
    const widget = await createWidget(db, 'original');
    await db.transaction((manager) => manager.save(Widget, { id: widget.id, name: 'second' }));
    mapped.length = 0;
    const { selects, after } = await underLock(Widget, widget.id, (manager, w) => manager.remove(w));

    expect(after).toBeNull();
    expect(mapped).toEqual([{ row: expect.objectContaining({ id: widget.id, name: 'second', version: 2 }) }]);
    expect(selects).toHaveLength(1);
    expect(selects[0]).not.toMatch(/for update/i);
  });
});
