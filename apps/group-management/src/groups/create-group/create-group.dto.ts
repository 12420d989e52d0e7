import { z } from 'zod';
import { groupNameInput } from '../group-name';

export const CreateGroupDto = z.strictObject({ name: groupNameInput }).meta({ example: { name: 'Five-a-side' } });
export type CreateGroupDto = z.output<typeof CreateGroupDto>;
