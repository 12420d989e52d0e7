import { EntityManager } from 'typeorm';
import { lockForChange } from '@playball/outbox';

import { UserView } from '../users/user-view.entity';
import { Group } from './group.entity';
import { Membership } from './membership.entity';
import { GroupManagementError } from '../errors';

/**
 * Every group change runs under the group's row lock: it makes version order equal commit order,
 * which is what consumers rely on (and the capture maps the saved group without reading it back).
 * A missing group and one the caller may not see look alike (404).
 */
export async function lockGroup(manager: EntityManager, groupId: string): Promise<Group> {
  const group = await tryLockGroup(manager, groupId);
  if (!group) throw new GroupManagementError('GROUP.NOT_FOUND', 'No such group.');
  return group;
}

export function tryLockGroup(manager: EntityManager, groupId: string): Promise<Group | null> {
  return lockForChange(manager, Group, { id: groupId });
}

/** Oldest first: the order in which members are promoted when the last admin goes. */
export function membersOf(manager: EntityManager, groupId: string): Promise<Membership[]> {
  return manager.find(Membership, { where: { groupId }, order: { joinedAt: 'ASC', userId: 'ASC' } });
}

/**
 * Locks a live user's view row (FOR UPDATE: the groups-per-user quota counts under it, so two adds
 * of one user must not both read the count before either inserts). Lock order is always user, then
 * group (as the consumer of a deletion does), so a use case that locks both takes the user first to
 * avoid a deadlock.
 */
export async function lockLiveUser(manager: EntityManager, userId: string): Promise<LockedUser> {
  const user = await manager.findOne(UserView, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
  if (!user || user.deletedAt) throw new GroupManagementError('USER.NOT_FOUND', 'No such user.');
  return user as LockedUser;
}

declare const locked: unique symbol;

/** A live user's view row that this transaction holds locked: only lockLiveUser makes one. */
export type LockedUser = UserView & { readonly [locked]: true };
