import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { AuthenticatedUser } from '../../auth/authenticated-user';
import { requireAdmin, requireMember } from '../group-access';
import { lockGroup, membersOf, tryLockGroup } from '../group-locks';
import { Membership } from '../membership.entity';
import { removeMember } from '../memberships';
import { GroupManagementError } from '../../errors';

@Injectable()
export class RemoveMemberService {
  constructor(private readonly db: DataSource) {}

  /** An admin removes anyone; a member may only leave. */
  remove(caller: AuthenticatedUser, groupId: string, userId: string): Promise<void> {
    return this.db.transaction(async (manager) => {
      const group = await lockGroup(manager, groupId);
      const members = await membersOf(manager, groupId);
      const leaving = userId === caller.userId;
      if (leaving) requireMember(members, caller.userId);
      else requireAdmin(members, caller.userId);
      if (!members.some((m) => m.userId === userId))
        throw new GroupManagementError('MEMBER.NOT_FOUND', 'No such member.');
      await removeMember(manager, group, members, userId, leaving ? 'left' : 'removed');
    });
  }

  /**
   * Locks every group these users belong to, in id order, and says which of them belong to one,
   * in two statements: most deleted users belong to none. A batch of deletions must take its group
   * locks in one global order before any user's clean-up: locked user by user, the concurrent
   * batches of two partitions deleting users who share groups deadlocked each other and, retried
   * in step, deadlocked again (11 s of it in a chaos run, seed 1711115793). A user whose view row
   * this transaction holds cannot join a group meanwhile (addMember share-locks it), so the set of
   * groups stays as locked.
   */
  async lockGroupsOf(manager: EntityManager, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    await manager.query(
      `select id from groups
        where id in (select group_id from memberships where user_id = any($1::uuid[]))
        order by id
          for update`,
      [userIds],
    );
    const rows = (await manager.query(`select distinct user_id from memberships where user_id = any($1::uuid[])`, [
      userIds,
    ])) as { user_id: string }[];
    return new Set(rows.map((r) => r.user_id));
  }

  /**
   * A deleted user leaves every group, in the consumer's transaction: each group promotes its
   * oldest member or is deleted when empty, with its events. Its groups are locked again in id
   * order; the consumer has already locked them all (lockGroupsOf), so this waits for nobody.
   */
  async removeDeletedUser(manager: EntityManager, userId: string): Promise<void> {
    const memberships = await manager.find(Membership, { where: { userId }, order: { groupId: 'ASC' } });
    for (const { groupId } of memberships) {
      const group = await tryLockGroup(manager, groupId);
      if (!group) continue;
      // Between the read above and the lock, an admin may have removed the member or deleted the group.
      const members = await membersOf(manager, groupId);
      if (members.some((m) => m.userId === userId)) await removeMember(manager, group, members, userId, 'user-deleted');
    }
  }
}
