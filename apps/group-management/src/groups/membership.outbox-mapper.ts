import { defineOutboxMapper, event, requireIntent } from '@playball/outbox';
import { Membership } from './membership.entity';

/**
 * What a membership change means beyond its row. `version` is the group's version this change made
 * (the group's row holds it; `bumpVersion`), the events' sequence. `reason` says why a member went;
 * `group-deleted` removes the memberships of a group whose deletion event already says it all.
 */
export interface MembershipIntent {
  version: number;
  reason: 'left' | 'removed' | 'user-deleted' | 'group-deleted';
}

/** A member joined, changed role, or went: each its own event on the group's topic. */
export const membershipOutboxMapper = defineOutboxMapper<Membership, MembershipIntent>({
  entity: Membership,
  inserted: (m, intent) => {
    const { version } = requireIntent('Membership', intent, 'version');
    return [event('playball.group.member-added.v1', { groupId: m.groupId, userId: m.userId, role: m.role, version })];
  },
  updated: (m, before, intent) => {
    if (m.role === before.role) return [];
    const { version } = requireIntent('Membership', intent, 'version');
    return [
      event('playball.group.member-role-changed.v1', { groupId: m.groupId, userId: m.userId, role: m.role, version }),
    ];
  },
  removed: (m, intent) => {
    const { reason } = requireIntent('Membership', intent, 'reason');
    if (reason === 'group-deleted') return [];
    const { version } = requireIntent('Membership', intent, 'version');
    return [event('playball.group.member-removed.v1', { groupId: m.groupId, userId: m.userId, reason, version })];
  },
});
