import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, version } from '../schemas';
import { Topics } from '../topics';

export const UserDeleted = defineEvent({
  type: 'playball.user.deleted.v1',
  topic: Topics.user,
  description: 'A user account was deleted. A tombstone for the same key follows on the compacted topic.',
  schema: z.strictObject({ userId: id, version }),
  subject: (data) => data.userId,
  sequence: (data) => data.version,
});
export type UserDeleted = z.output<typeof UserDeleted.schema>;
