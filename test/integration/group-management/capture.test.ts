import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { OutboxCaptureError, withIntent } from '@playball/outbox';
import { AddMemberService } from '../../../apps/group-management/src/groups/add-member/add-member.service';
import { CreateGroupService } from '../../../apps/group-management/src/groups/create-group/create-group.service';
import { DeleteGroupService } from '../../../apps/group-management/src/groups/delete-group/delete-group.service';
import { lockGroup, lockLiveUser, membersOf } from '../../../apps/group-management/src/groups/group-locks';
import { Group } from '../../../apps/group-management/src/groups/group.entity';
import { membershipOutboxMapper } from '../../../apps/group-management/src/groups/membership.outbox-mapper';
import { addMember } from '../../../apps/group-management/src/groups/memberships';
import { RemoveMemberService } from '../../../apps/group-management/src/groups/remove-member/remove-member.service';
import { RenameGroupService } from '../../../apps/group-management/src/groups/rename-group/rename-group.service';
import { groupManagementDataSourceOptions } from '../../../apps/group-management/src/database/data-source';
import { UserView } from '../../../apps/group-management/src/users/user-view.entity';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { capturedFor } from '../../support/outbox-rows';
import { StatementLog } from '../../support/statement-log';

/**
 * Group and Membership changes reach the outbox only through the subscriber and their mappers:
 * each use case's exact events, in its transaction, none for a rollback or a change without intent.
 */
describe('capture of group-management entities', () => {
  let database: TestDatabase;
  let db: DataSource;
  const log = new StatementLog();

  beforeAll(async () => {
    database = await createTestDatabase('group_management');
    db = await new DataSource({
      ...groupManagementDataSourceOptions(database.url),
      logging: ['query'],
      logger: log,
    }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  async function user(displayName: string) {
    const id = uuidv7();
    await db.manager.insert(UserView, { id, displayName, version: 1, credentialsVersion: 1, deletedAt: null });
    return { userId: id, displayName };
  }
  // Far above what these tests add: quotas are groups-limits.test.ts's subject.
  const quotas = { groupsPerUser: 100, membersPerGroup: 100 };
  const captured = (groupId: string) => capturedFor(db.manager, groupId);
  const types = async (groupId: string) => (await captured(groupId)).map((r) => r.type);

  async function groupOf(admin: { userId: string; displayName: string }, ...members: { userId: string }[]) {
    const { id } = await new CreateGroupService(db, quotas).create(admin, 'Team');
    for (const member of members) await new AddMemberService(db, quotas).add(admin, id, member.userId, 'member');
    return id;
  }

  it('publishes created and member-added (the creator as admin) for a new group, versions 1 and 2', async () => {
    const ada = await user('Ada');
    const groupId = await groupOf(ada);
    await expect(captured(groupId)).resolves.toEqual([
      { type: 'playball.group.created.v1', data: { groupId, name: 'Team', createdBy: ada.userId, version: 1 } },
      { type: 'playball.group.member-added.v1', data: { groupId, userId: ada.userId, role: 'admin', version: 2 } },
    ]);
  });

  it('publishes renamed for a new name, and nothing for the same name', async () => {
    const ada = await user('Ada');
    const groupId = await groupOf(ada);
    await new RenameGroupService(db).rename(ada, groupId, '*', 'Team');
    await new RenameGroupService(db).rename(ada, groupId, '*', 'Squad');
    expect((await captured(groupId)).slice(2)).toEqual([
      { type: 'playball.group.renamed.v1', data: { groupId, name: 'Squad', version: 3 } },
    ]);
  });

  type Caller = { userId: string; displayName: string };
  it.each<[string, (ada: Caller, bob: Caller) => Promise<() => Promise<unknown>>]>([
    ['creating a group', async (ada) => () => new CreateGroupService(db, quotas).create(ada, 'Team')],
    [
      'adding a member',
      async (ada, bob) => {
        const { id } = await new CreateGroupService(db, quotas).create(ada, 'Team');
        return () => new AddMemberService(db, quotas).add(ada, id, bob.userId, 'member');
      },
    ],
  ])("locks the joining user's view row once, before the group, when %s", async (_, prepare) => {
    const act = await prepare(await user('Ada'), await user('Bob'));
    const from = log.statements.length;
    await act();

    const statements = log.since(from);
    const userLocks = statements.flatMap((s, i) => (/from "users".*for update/is.test(s) ? [i] : []));
    const firstOfGroup = statements.findIndex((s) => s.includes('"groups"'));
    expect(userLocks).toHaveLength(1);
    expect(userLocks[0]).toBeLessThan(firstOfGroup);
  });

  it('captures a rename of the group lockGroup locked without reading the group back', async () => {
    const ada = await user('Ada');
    const groupId = await groupOf(ada);
    const from = log.statements.length;
    await new RenameGroupService(db).rename(ada, groupId, '*', 'Squad');

    const statements = log.since(from);
    // Between the update and its outbox row is where the capture would read the group back (the
    // answer reads it again afterwards, renderGroup's own read).
    const update = statements.findIndex((s) => /^update "groups"/i.test(s.trim()));
    const outboxInsert = statements.findIndex((s) => /insert into outbox/i.test(s));
    expect(update).toBeGreaterThan(0);
    expect(outboxInsert).toBeGreaterThan(update);
    expect(statements.slice(update + 1, outboxInsert)).toEqual([]);
    expect((await captured(groupId)).at(-1)).toEqual({
      type: 'playball.group.renamed.v1',
      data: { groupId, name: 'Squad', version: 3 },
    });
  });

  it('publishes member-removed with the reason: removed by an admin, or left', async () => {
    const [ada, bob, cy] = [await user('Ada'), await user('Bob'), await user('Cy')];
    const groupId = await groupOf(ada, bob, cy);
    await new RemoveMemberService(db).remove(ada, groupId, bob.userId);
    await new RemoveMemberService(db).remove(cy, groupId, cy.userId);
    expect((await captured(groupId)).slice(4)).toEqual([
      {
        type: 'playball.group.member-removed.v1',
        data: { groupId, userId: bob.userId, reason: 'removed', version: 5 },
      },
      { type: 'playball.group.member-removed.v1', data: { groupId, userId: cy.userId, reason: 'left', version: 6 } },
    ]);
  });

  it('promotes the oldest member with member-role-changed when the last admin leaves', async () => {
    const [ada, bob, cy] = [await user('Ada'), await user('Bob'), await user('Cy')];
    const groupId = await groupOf(ada, bob, cy);
    await new RemoveMemberService(db).remove(ada, groupId, ada.userId);
    expect((await captured(groupId)).slice(4)).toEqual([
      { type: 'playball.group.member-removed.v1', data: { groupId, userId: ada.userId, reason: 'left', version: 5 } },
      {
        type: 'playball.group.member-role-changed.v1',
        data: { groupId, userId: bob.userId, role: 'admin', version: 6 },
      },
    ]);
    await expect(db.manager.findOneByOrFail(Group, { id: groupId })).resolves.toMatchObject({ version: 6 });
  });

  it('deletes the group with reason last-member-left when its last member goes', async () => {
    const ada = await user('Ada');
    const groupId = await groupOf(ada);
    await new RemoveMemberService(db).remove(ada, groupId, ada.userId);
    expect((await captured(groupId)).slice(2)).toEqual([
      { type: 'playball.group.member-removed.v1', data: { groupId, userId: ada.userId, reason: 'left', version: 3 } },
      { type: 'playball.group.deleted.v1', data: { groupId, reason: 'last-member-left', version: 4 } },
    ]);
    await expect(db.manager.existsBy(Group, { id: groupId })).resolves.toBe(false);
  });

  it("publishes one deleted event for an admin's deletion: its memberships go without events of their own", async () => {
    const [ada, bob] = [await user('Ada'), await user('Bob')];
    const groupId = await groupOf(ada, bob);
    await new DeleteGroupService(db).delete(ada, groupId);
    expect((await captured(groupId)).slice(3)).toEqual([
      { type: 'playball.group.deleted.v1', data: { groupId, reason: 'deleted-by-admin', version: 4 } },
    ]);
    await expect(db.query(`select 1 from memberships where group_id = $1`, [groupId])).resolves.toEqual([]);
  });

  it("removes a deleted user from each of their groups with reason user-deleted (the consumer's path)", async () => {
    const [ada, bob] = [await user('Ada'), await user('Bob')];
    const shared = await groupOf(ada, bob);
    const alone = await groupOf(bob);
    const members = new RemoveMemberService(db);
    await db.transaction(async (manager) => {
      await members.lockGroupsOf(manager, [bob.userId], 100);
      await members.removeDeletedUser(manager, bob.userId, 100);
    });
    expect((await captured(shared)).slice(3)).toEqual([
      {
        type: 'playball.group.member-removed.v1',
        data: { groupId: shared, userId: bob.userId, reason: 'user-deleted', version: 4 },
      },
    ]);
    expect((await captured(alone)).slice(2)).toEqual([
      {
        type: 'playball.group.member-removed.v1',
        data: { groupId: alone, userId: bob.userId, reason: 'user-deleted', version: 3 },
      },
      { type: 'playball.group.deleted.v1', data: { groupId: alone, reason: 'last-member-left', version: 4 } },
    ]);
  });

  it('captures nothing for a change whose transaction rolls back', async () => {
    const [ada, bob] = [await user('Ada'), await user('Bob')];
    const groupId = await groupOf(ada);
    const failing = db.transaction(async (manager) => {
      const member = await lockLiveUser(manager, bob.userId);
      await addMember(manager, await lockGroup(manager, groupId), member, 'member', quotas);
      await expect(types(groupId)).resolves.toHaveLength(2);
      await expect(capturedFor(manager, groupId)).resolves.toHaveLength(3);
      throw new Error('a later step of the use case failed');
    });
    await expect(failing).rejects.toThrow('a later step of the use case failed');
    await expect(types(groupId)).resolves.toEqual(['playball.group.created.v1', 'playball.group.member-added.v1']);
    await expect(db.manager.findOneByOrFail(Group, { id: groupId })).resolves.toMatchObject({ version: 2 });
  });

  it('refuses a group removal that does not say why, and writes nothing', async () => {
    const ada = await user('Ada');
    const groupId = await groupOf(ada);
    const unexplained = db.transaction(async (manager) => {
      const group = await lockGroup(manager, groupId);
      const memberships = await membersOf(manager, groupId);
      await manager.remove(memberships, withIntent(membershipOutboxMapper, { reason: 'group-deleted' }));
      await manager.remove(group);
    });
    await expect(unexplained).rejects.toMatchObject({ code: 'OUTBOX.MISSING_INTENT' });
    await expect(unexplained).rejects.toBeInstanceOf(OutboxCaptureError);
    await expect(types(groupId)).resolves.toHaveLength(2);
    await expect(db.manager.existsBy(Group, { id: groupId })).resolves.toBe(true);
  });
});
