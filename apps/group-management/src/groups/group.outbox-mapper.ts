import { defineOutboxMapper, event, requireIntent } from '@playball/outbox';
import { Group } from './group.entity';

/**
 * What a group change means beyond its row: who created it, and why it was deleted (by an admin,
 * or because its last member left). The use case states it with `withIntent(groupOutboxMapper, …)`.
 */
export interface GroupIntent {
  createdBy: string;
  reason: 'deleted-by-admin' | 'last-member-left';
}

/**
 * Which group changes other services hear of: creation, a new name, deletion. A save that only
 * bumps the version (for a membership change) publishes nothing here; the membership's mapper does.
 */
export const groupOutboxMapper = defineOutboxMapper<Group, GroupIntent>({
  entity: Group,
  inserted: (group, intent) => {
    const { createdBy } = requireIntent('Group', intent, 'createdBy');
    return [
      event('playball.group.created.v1', { groupId: group.id, name: group.name, createdBy, version: group.version }),
    ];
  },
  updated: (group, before) =>
    group.name === before.name
      ? []
      : [event('playball.group.renamed.v1', { groupId: group.id, name: group.name, version: group.version })],
  // The deletion is one more change of the group, so it gets the next version.
  removed: (group, intent) => {
    const { reason } = requireIntent('Group', intent, 'reason');
    return [event('playball.group.deleted.v1', { groupId: group.id, reason, version: group.version + 1 })];
  },
});
