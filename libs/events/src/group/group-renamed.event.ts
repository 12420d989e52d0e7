import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { groupName, id, version } from '../schemas';
import { Topics } from '../topics';

export const GroupRenamed = defineEvent({
  type: 'playball.group.renamed.v1',
  topic: Topics.group,
  description: 'A group got a new name.',
  schema: z.strictObject({ groupId: id, name: groupName, version }),
  subject: (data) => data.groupId,
  sequence: (data) => data.version,
});
export type GroupRenamed = z.output<typeof GroupRenamed.schema>;
