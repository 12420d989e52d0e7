import type { Request } from 'express';
import { AuthenticatedUser } from './authenticated-user';

/** The caller, once JwtAuthGuard has run: what the per-account write limit counts. */
export function accountOf(request: Request): string | undefined {
  const caller = (request as Request & { user?: AuthenticatedUser }).user;
  return caller ? `user:${caller.userId}` : undefined;
}
