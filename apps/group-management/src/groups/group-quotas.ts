import { EntityManager } from 'typeorm';
import { Membership } from './membership.entity';
import { GroupManagementError } from '../errors';

export interface GroupQuotas {
  groupsPerUser: number;
  membersPerGroup: number;
}

export const GROUP_QUOTAS = Symbol('GROUP_QUOTAS');

/**
 * Refuses a membership that would pass a quota, with GROUP.QUOTA_EXCEEDED (409). Race-safe only
 * under the locks memberships.ts addMember holds: the user's view row (FOR UPDATE, so two adds of one
 * user count one after the other) and the group's row (so two adds to one group do too).
 */
export async function requireRoom(
  manager: EntityManager,
  quotas: GroupQuotas,
  groupId: string,
  userId: string,
): Promise<void> {
  const groups = await manager.countBy(Membership, { userId });
  if (groups >= quotas.groupsPerUser) {
    throw new GroupManagementError(
      'GROUP.QUOTA_EXCEEDED',
      `A user may belong to at most ${quotas.groupsPerUser} groups.`,
      {
        quota: 'groups-per-user',
        limit: quotas.groupsPerUser,
      },
    );
  }
  const members = await manager.countBy(Membership, { groupId });
  if (members >= quotas.membersPerGroup) {
    throw new GroupManagementError(
      'GROUP.QUOTA_EXCEEDED',
      `A group may hold at most ${quotas.membersPerGroup} members.`,
      {
        quota: 'members-per-group',
        limit: quotas.membersPerGroup,
      },
    );
  }
}
