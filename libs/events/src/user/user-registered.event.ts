import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { credentialsVersion, displayName, id, version } from '../schemas';
import { Topics } from '../topics';

export const UserRegistered = defineEvent({
  type: 'playball.user.registered.v1',
  topic: Topics.user,
  description: 'A user account was created. Carries the public state other services may keep.',
  schema: z.strictObject({ userId: id, displayName, version, credentialsVersion: credentialsVersion.optional() }),
  subject: (data) => data.userId,
  sequence: (data) => data.version,
});
export type UserRegistered = z.output<typeof UserRegistered.schema>;
