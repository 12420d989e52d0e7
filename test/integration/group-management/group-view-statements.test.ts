import { DataSource } from 'typeorm';
import { defaultPoolSettings } from '@playball/platform/database';
import { groupManagementDataSourceOptions } from '../../../apps/group-management/src/database/data-source';
import { Group } from '../../../apps/group-management/src/groups/group.entity';
import { renderGroups } from '../../../apps/group-management/src/groups/group.view';
import { createTestDatabase, TestDatabase } from '../../support/databases';

const id = (n: number) => `0190a6f2-7b3c-7def-8000-${String(n).padStart(12, '0')}`;

describe("a group's members, read for its answer", () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('group_management');
    // One connection, so every statement below shares one session and its prepared statements.
    db = await new DataSource(
      groupManagementDataSourceOptions(database.url, { ...defaultPoolSettings, DATABASE_POOL_SIZE: 1 }),
    ).initialize();
    // Groups of 1, 2 and 3 members; member 3 is not in the user view yet.
    await db.query(`insert into groups (id, name, version) values ($1, 'One', 1), ($2, 'Two', 1), ($3, 'Three', 1)`, [
      id(101),
      id(102),
      id(103),
    ]);
    await db.query(
      `insert into users (id, display_name, version, credentials_version) values ($1, 'Ada', 1, 1), ($2, 'Bob', 1, 1)`,
      [id(1), id(2)],
    );
    await db.query(
      `insert into memberships (group_id, user_id, role) values
         ($1, $4, 'admin'), ($2, $4, 'admin'), ($2, $5, 'member'), ($3, $4, 'admin'), ($3, $5, 'member'), ($3, $6, 'member')`,
      [id(101), id(102), id(103), id(1), id(2), id(3)],
    );
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('is one statement text per table whatever the number of members, so each is prepared once', async () => {
    const groups = await db.getRepository(Group).findBy({});
    const byName = new Map(groups.map((g) => [g.name, g]));
    for (const round of [1, 2]) {
      for (const name of ['One', 'Two', 'Three']) {
        const [rendered] = await renderGroups(db.manager, [byName.get(name)!]);
        expect({ round, members: rendered.members.map((m) => m.displayName) }).toEqual({
          round,
          members: { One: ['Ada'], Two: ['Ada', 'Bob'], Three: ['Ada', 'Bob', null] }[name],
        });
      }
    }
    // Several groups at once (GET /groups): lists of one, two and three group ids, each read twice.
    for (const round of [1, 2]) {
      for (const count of [1, 2, 3]) {
        const rendered = await renderGroups(db.manager, groups.slice(0, count));
        expect({ round, count, members: rendered.map((g) => g.members.length) }).toEqual({
          round,
          count,
          members: groups.slice(0, count).map((g) => ({ One: 1, Two: 2, Three: 3 })[g.name]),
        });
      }
    }

    const statements = (await db.query('select statement from pg_prepared_statements')) as { statement: string }[];
    const reading = (table: string) => statements.filter((s) => s.statement.includes(`FROM "${table}"`));
    // With IN ($1, …, $n), each list length was a text of its own, prepared on its second run: three per table here.
    expect(reading('memberships')).toHaveLength(1);
    expect(reading('users')).toHaveLength(1);
  });
});
