import { EntityManager } from 'typeorm';

import { UserView } from '../users/user-view.entity';
import { Group } from './group.entity';
import { Membership } from './membership.entity';
import { GroupManagementError } from '../errors';

/**
 * Every group change runs under the group's row lock: it makes version order equal commit order,
 * which is what consumers rely on. A missing group and one the caller may not see look alike (404).
 */
export async function lockGroup(manager: EntityManager, groupId: string): Promise<Group> {
  const group = await tryLockGroup(manager, groupId);
  if (!group) throw new GroupManagementError('GROUP.NOT_FOUND', 'No such group.');
  return group;
}

export function tryLockGroup(manager: EntityManager, groupId: string): Promise<Group | null> {
  return manager.findOne(Group, { where: { id: groupId }, lock: { mode: 'pessimistic_write' } });
}

/** Oldest first: the order in which members are promoted when the last admin goes. */
export function membersOf(manager: EntityManager, groupId: string): Promise<Membership[]> {
  return manager.find(Membership, { where: { groupId }, order: { joinedAt: 'ASC', userId: 'ASC' } });
}

/**
 * Share-locks a live user's view row. Lock order is always user, then group (as the consumer of
 * a deletion does), so a use case that locks both takes the user first to avoid a deadlock.
 */
export async function lockLiveUser(manager: EntityManager, userId: string): Promise<void> {
  const user = await manager.findOne(UserView, { where: { id: userId }, lock: { mode: 'pessimistic_read' } });
  if (!user || user.deletedAt) throw new GroupManagementError('USER.NOT_FOUND', 'No such user.');
}
