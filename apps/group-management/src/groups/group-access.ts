import { Membership } from './membership.entity';
import { GroupManagementError } from '../errors';

/** A non-member learns nothing, not even that the group exists: 404, like a missing group. */
export function requireMember(members: Membership[], userId: string): Membership {
  const membership = members.find((m) => m.userId === userId);
  if (!membership) throw new GroupManagementError('GROUP.NOT_FOUND', 'No such group.');
  return membership;
}

export function requireAdmin(members: Membership[], userId: string): Membership {
  const membership = requireMember(members, userId);
  if (membership.role !== 'admin')
    throw new GroupManagementError('GROUP.NOT_ADMIN', 'Only an admin of the group may do this.');
  return membership;
}
