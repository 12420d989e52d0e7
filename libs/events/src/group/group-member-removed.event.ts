import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, version } from '../schemas';
import { Topics } from '../topics';

export const GroupMemberRemoved = defineEvent({
  type: 'playball.group.member-removed.v1',
  topic: Topics.group,
  description: 'A member left or was removed from a group, or the user was deleted.',
  schema: z.strictObject({ groupId: id, userId: id, reason: z.enum(['left', 'removed', 'user-deleted']), version }),
  subject: (data) => data.groupId,
  sequence: (data) => data.version,
});
export type GroupMemberRemoved = z.output<typeof GroupMemberRemoved.schema>;
