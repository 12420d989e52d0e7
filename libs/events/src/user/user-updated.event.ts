import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { credentialsVersion, displayName, id, version } from '../schemas';
import { Topics } from '../topics';

export const UserUpdated = defineEvent({
  type: 'playball.user.updated.v1',
  topic: Topics.user,
  description: "A user's public state changed. Carries the whole new state, not a diff.",
  schema: z.strictObject({ userId: id, displayName, version, credentialsVersion: credentialsVersion.optional() }),
  subject: (data) => data.userId,
  sequence: (data) => data.version,
});
export type UserUpdated = z.output<typeof UserUpdated.schema>;
