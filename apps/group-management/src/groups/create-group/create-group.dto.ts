import { z } from 'zod';
import { groupNameInput } from '../group-name';

export const CreateGroupDto = z.strictObject({ name: groupNameInput });
export type CreateGroupDto = z.output<typeof CreateGroupDto>;
