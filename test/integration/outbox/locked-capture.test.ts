import { AbstractLogger, DataSource, EntityManager, MigrationInterface, ObjectLiteral } from 'typeorm';
import { defineOutboxMapper, lockForChange, outboxSubscriber } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { libsDataSourceOptions } from '../../support/libs-data-source';
import { CreateWidgets1764199990000, createWidget, Widget } from './support/widget';

/** Every statement the data source sends, in order. */
class StatementLog extends AbstractLogger {
  statements: string[] = [];

  protected writeLog(): void {}

  override logQuery(query: string): void {
    this.statements.push(query);
  }
}

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

/** The selects a transaction ran, without the lock's own. */
function selectsAfterLock(log: StatementLog, from: number): string[] {
  return log.statements.slice(from).filter((s) => /^select/i.test(s.trim()));
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
      entities: [Widget],
      subscribers: [outboxSubscriber([recordingMapper])],
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

  beforeEach(() => {
    mapped.length = 0;
  });

  /** Runs `change` on a widget locked with lockForChange; returns the selects it ran and the row read back after it. */
  async function underLock(id: string, change: (manager: EntityManager, locked: Widget) => Promise<unknown>) {
    return db.transaction(async (manager) => {
      const locked = await lockForChange(manager, Widget, { id });
      const from = log.statements.length;
      await change(manager, locked!);
      const selects = selectsAfterLock(log, from);
      return { selects, after: await manager.findOneBy(Widget, { id }) };
    });
  }

  it.each<[string, (manager: EntityManager, locked: Widget) => Promise<unknown>]>([
    ['the locked object, renamed', (manager, w) => manager.save(Object.assign(w, { name: 'renamed' }))],
    ['a partial object of the same row', (manager, w) => manager.save(Widget, { id: w.id, name: 'partial' })],
    ['a stale copy of the row', (manager, w) => manager.save(Widget, { ...w, version: 0, secret: 'stale copy' })],
    ['a change of a column no event carries', (manager, w) => manager.save(Object.assign(w, { secret: 'hidden' }))],
  ])('maps the row a read-back would give, from one select: %s', async (_, change) => {
    const widget = await createWidget(db, 'original');
    const { selects, after } = await underLock(widget.id, change);

    expect(mapped).toHaveLength(1);
    expect(mapped[0].row).toEqual({ ...after });
    expect(mapped[0].before).toMatchObject({ version: 1, name: 'original' });
    expect(after?.version).toBe(2);
    // TypeORM's read before the update; the capture adds none.
    expect(selects).toHaveLength(1);
  });

  it('reads the row back when the save does not merge what the database returned (reload: false)', async () => {
    const widget = await createWidget(db, 'original');
    const { selects, after } = await underLock(widget.id, (manager, w) =>
      manager.save(Object.assign(w, { name: 'not reloaded' }), { reload: false }),
    );
    expect(mapped[0].row).toEqual({ ...after });
    expect(after?.version).toBe(2);
    expect(selects).toHaveLength(2);
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
    const { selects, after } = await underLock(widget.id, (manager, w) => manager.remove(w));

    expect(after).toBeNull();
    expect(mapped).toEqual([{ row: expect.objectContaining({ id: widget.id, name: 'second', version: 2 }) }]);
    expect(selects).toHaveLength(1);
    expect(selects[0]).not.toMatch(/for update/i);
  });
});
