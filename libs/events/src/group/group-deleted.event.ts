import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, version } from '../schemas';
import { Topics } from '../topics';

export const GroupDeleted = defineEvent({
  type: 'playball.group.deleted.v1',
  topic: Topics.group,
  description: 'A group was deleted, by an admin or because its last member left.',
  schema: z.strictObject({ groupId: id, reason: z.enum(['deleted-by-admin', 'last-member-left']), version }),
  subject: (data) => data.groupId,
  sequence: (data) => data.version,
});
export type GroupDeleted = z.output<typeof GroupDeleted.schema>;
