import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, role, version } from '../schemas';
import { Topics } from '../topics';

export const GroupMemberAdded = defineEvent({
  type: 'playball.group.member-added.v1',
  topic: Topics.group,
  description: 'A user joined a group with a role.',
  schema: z.strictObject({ groupId: id, userId: id, role, version }),
  subject: (data) => data.groupId,
  sequence: (data) => data.version,
});
export type GroupMemberAdded = z.output<typeof GroupMemberAdded.schema>;
