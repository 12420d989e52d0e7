import { randomUUID } from 'node:crypto';
import { Client, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { applyAllIfNewer, notifyApplied, parseApplied, VersionedRow } from '@playball/inbox';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { eventually } from '../../support/eventually';
import { libsDataSourceOptions } from '../../support/libs-data-source';

const CHANNEL = 'copy_changed';

describe('applyAllIfNewer with options', () => {
  let database: TestDatabase;
  let db: DataSource;
  let listener: Client;
  const heard: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('libs');
    db = await new DataSource(libsDataSourceOptions(database.url)).initialize();
    // A local copy shaped as applyAllIfNewer expects; this file's own table, not a migration of the libs.
    await db.query(
      `create table copy (id uuid primary key, version int not null, deleted_at timestamptz, name text, level int)`,
    );
    listener = new Client({ connectionString: database.url });
    await listener.connect();
    listener.on('notification', (n: Notification) => heard.push(n.payload ?? ''));
    await listener.query(`listen ${CHANNEL}`);
  });

  afterAll(async () => {
    await listener.end();
    await db.destroy();
    await database.drop();
  });

  const row = (id: string, version: number, name: string): VersionedRow => ({ id, version, values: { name } });
  const leveled = (id: string, version: number, level: number): VersionedRow => ({
    id,
    version,
    values: { name: `v${version}`, level },
  });

  /** Waits until a marker notification sent after `work` arrives, so everything before it has too. */
  async function heardAfter(work: () => Promise<unknown>): Promise<string[]> {
    heard.length = 0;
    await work();
    const marker = `marker:${randomUUID()}`;
    await db.query(`select pg_notify($1, $2)`, [CHANNEL, marker]);
    await eventually(() => expect(heard).toContain(marker));
    return heard.filter((p) => p !== marker);
  }

  it('tells the channel each row that changed, as <id>:<version>, in the order applied, and not the stale ones', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await db.transaction((m) => applyAllIfNewer(m, 'copy', [row(b, 5, 'b five')]));

    let changed: boolean[] = [];
    const payloads = await heardAfter(async () => {
      changed = await db.transaction((m) =>
        applyAllIfNewer(m, 'copy', [row(a, 1, 'a one'), row(b, 4, 'b stale'), row(a, 2, 'a two')], {
          notify: CHANNEL,
        }),
      );
    });

    expect(changed).toEqual([true, false, true]);
    expect(payloads).toEqual([`${a}:1`, `${a}:2`]);
    expect(payloads.map(parseApplied)).toEqual([
      { id: a, version: 1 },
      { id: a, version: 2 },
    ]);
  });

  it('notifyApplied tells rows changed by other means in the same form, at commit', async () => {
    const [a, b] = [randomUUID(), randomUUID()];

    const payloads = await heardAfter(() =>
      db.transaction((m) =>
        notifyApplied(m, CHANNEL, [
          { id: a, version: 3 },
          { id: b, version: 12 },
        ]),
      ),
    );

    expect(payloads).toEqual([`${a}:3`, `${b}:12`]);
    expect(payloads.map(parseApplied)).toEqual([
      { id: a, version: 3 },
      { id: b, version: 12 },
    ]);
    expect(await heardAfter(() => db.transaction((m) => notifyApplied(m, CHANNEL, [])))).toEqual([]);
  });

  it('parseApplied names no row for another payload', () => {
    expect(parseApplied(`marker:${randomUUID()}`)).toBeUndefined();
    expect(parseApplied('')).toBeUndefined();
    expect(parseApplied(undefined)).toBeUndefined();
  });

  it('says nothing for a transaction that rolls back, and nothing before the commit', async () => {
    const id = randomUUID();
    const payloads = await heardAfter(() =>
      db
        .transaction(async (m) => {
          await applyAllIfNewer(m, 'copy', [row(id, 1, 'never')], { notify: CHANNEL });
          throw new Error('rolled back');
        })
        .catch(() => undefined),
    );
    expect(payloads).toEqual([]);

    const committed = await heardAfter(() =>
      db.transaction(async (m) => {
        await applyAllIfNewer(m, 'copy', [row(id, 1, 'committed')], { notify: CHANNEL });
        // Still inside the transaction: a NOTIFY is only delivered at commit.
        const marker = `inside:${randomUUID()}`;
        await db.query(`select pg_notify($1, $2)`, [CHANNEL, marker]);
        await eventually(() => expect(heard).toContain(marker));
        expect(heard).not.toContain(`${id}:1`);
      }),
    );
    expect(committed.filter((p) => !p.startsWith('inside:'))).toEqual([`${id}:1`]);
  });

  it('tells nothing without notify', async () => {
    const payloads = await heardAfter(() =>
      db.transaction((m) => applyAllIfNewer(m, 'copy', [row(randomUUID(), 1, 'quiet')])),
    );
    expect(payloads).toEqual([]);
  });

  it('keeps the greater of the stored and the given value of a monotonic column, and applies the rest', async () => {
    const id = randomUUID();
    const apply = (...rows: VersionedRow[]) =>
      db.transaction((m) => applyAllIfNewer(m, 'copy', rows, { monotonic: ['level'] }));
    const stored = async () =>
      ((await db.query(`select version, name, level from copy where id = $1`, [id])) as unknown[])[0];

    await apply(leveled(id, 1, 3));
    expect(await apply(leveled(id, 2, 1))).toEqual([true]);
    expect(await stored()).toEqual({ version: 2, name: 'v2', level: 3 });

    await apply(leveled(id, 3, 5), leveled(id, 4, 2));
    expect(await stored()).toEqual({ version: 4, name: 'v4', level: 5 });
  });

  it('refuses a monotonic column the rows do not set', async () => {
    await expect(
      db.transaction((m) => applyAllIfNewer(m, 'copy', [row(randomUUID(), 1, 'x')], { monotonic: ['level'] })),
    ).rejects.toThrow('monotonic columns not set: level');
  });
});
