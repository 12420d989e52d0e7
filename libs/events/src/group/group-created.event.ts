import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { groupName, id, version } from '../schemas';
import { Topics } from '../topics';

export const GroupCreated = defineEvent({
  type: 'playball.group.created.v1',
  topic: Topics.group,
  description: 'A group was created; its creator is its first admin.',
  schema: z.strictObject({ groupId: id, name: groupName, createdBy: id, version }),
  subject: (data) => data.groupId,
  sequence: (data) => data.version,
});
export type GroupCreated = z.output<typeof GroupCreated.schema>;
