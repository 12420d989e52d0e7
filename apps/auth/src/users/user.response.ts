import { z } from 'zod';
import { User } from './user.entity';

export const meResponse = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  /** The version of the user's public state; tokens carry it as `uv`. */
  version: z.number().int(),
});
export type MeResponse = z.output<typeof meResponse>;

export function toMeResponse(user: User): MeResponse {
  return { id: user.id, email: user.email, displayName: user.displayName, version: user.version };
}
