import { z } from 'zod';
import { User } from './user.entity';

export const meResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    version: z.number().int().describe('The version of the user’s public state; tokens carry it as `uv`.'),
  })
  .meta({
    example: {
      id: '019ac1a8-5c3e-7b51-9a8e-2f4d6c1e0b7a',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      version: 2,
    },
  });
export type MeResponse = z.output<typeof meResponse>;

export function toMeResponse(user: User): MeResponse {
  return { id: user.id, email: user.email, displayName: user.displayName, version: user.version };
}
