import { EntityManager } from 'typeorm';
import { withIntent } from '@playball/outbox';
import { Group } from './group.entity';
import { groupOutboxMapper, GroupIntent } from './group.outbox-mapper';
import { LockedUser } from './group-locks';
import { GroupQuotas, requireRoom } from './group-quotas';
import { Membership, Role } from './membership.entity';
import { membershipOutboxMapper, MembershipIntent } from './membership.outbox-mapper';

/*
 * The membership rules shared by the use cases. They only save and remove entities, under the
 * group's row lock (group-locks.ts); the outbox subscriber turns each change into its event
 * through the entities' mappers, with the intent stated here.
 */

/**
 * A membership change is a change of its group: the group's version goes up first, by one per
 * event to come, and each membership event carries its own. Saving the group alone publishes
 * nothing (no new name). Returns the first of the new versions.
 */
async function bumpVersion(manager: EntityManager, group: Group, events = 1): Promise<number> {
  const first = group.version + 1;
  group.version += events;
  await manager.save(group);
  return first;
}

/**
 * Only users the view knows as live can join, within the quotas. The caller holds the user's view
 * row locked (lockLiveUser, the only way to get a LockedUser) until commit: a concurrent deletion
 * of that user (which updates the row) waits for this membership to commit, and its clean-up then
 * sees and removes it. Without the lock both commit and the deleted user stays a member for good.
 * The caller holds the group's lock too.
 */
export async function addMember(
  manager: EntityManager,
  group: Group,
  user: LockedUser,
  role: Role,
  quotas: GroupQuotas,
): Promise<void> {
  await requireRoom(manager, quotas, group.id, user.id);
  const version = await bumpVersion(manager, group);
  await manager.save(
    manager.create(Membership, { groupId: group.id, userId: user.id, role }),
    withIntent(membershipOutboxMapper, { version }),
  );
}

/**
 * Removes a member and keeps the group valid: the oldest remaining member is promoted when no
 * admin is left, and a group left empty is deleted. Each step is its own event. `members` is the
 * group's membership as read under its lock (membersOf), the leaving member among them.
 */
export async function removeMember(
  manager: EntityManager,
  group: Group,
  members: Membership[],
  userId: string,
  reason: Exclude<MembershipIntent['reason'], 'group-deleted'>,
): Promise<void> {
  const leaving = members.find((m) => m.userId === userId);
  if (!leaving) throw new Error(`${userId} is not a member of group ${group.id}`);
  const remaining = members.filter((m) => m !== leaving);
  // The oldest remaining member is promoted when no admin is left: a second event, so a second
  // version, bumped in the same save (one save per removal, not two: the consumer's clean-up of
  // deleted users makes one removal per membership).
  const promoted = remaining.some((m) => m.role === 'admin') ? undefined : remaining[0];
  const version = await bumpVersion(manager, group, promoted ? 2 : 1);
  await manager.remove(leaving, withIntent(membershipOutboxMapper, { version, reason }));
  if (remaining.length === 0) return deleteGroup(manager, group, [], 'last-member-left');
  if (promoted) {
    promoted.role = 'admin';
    await manager.save(promoted, withIntent(membershipOutboxMapper, { version: version + 1 }));
  }
}

/** The memberships go with the group; its one deletion event says so (they publish nothing). */
export async function deleteGroup(
  manager: EntityManager,
  group: Group,
  members: Membership[],
  reason: GroupIntent['reason'],
): Promise<void> {
  if (members.length > 0)
    await manager.remove(members, withIntent(membershipOutboxMapper, { reason: 'group-deleted' }));
  await manager.remove(group, withIntent(groupOutboxMapper, { reason }));
}
