import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, role, version } from '../schemas';
import { Topics } from '../topics';

export const GroupMemberRoleChanged = defineEvent({
  type: 'playball.group.member-role-changed.v1',
  topic: Topics.group,
  description: "A member's role changed, e.g. the oldest member promoted when the last admin went.",
  schema: z.strictObject({ groupId: id, userId: id, role, version }),
  subject: (data) => data.groupId,
  sequence: (data) => data.version,
});
export type GroupMemberRoleChanged = z.output<typeof GroupMemberRoleChanged.schema>;
