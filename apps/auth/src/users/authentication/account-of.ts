import type { Request } from 'express';
import { User } from '../user.entity';

/**
 * The account a request acts on, for the per-account rate limit: the caller once BearerAuthGuard
 * has run, else the email a login or registration names (read before validation, so only a string
 * counts; lower-cased as the unique index compares it).
 */
export function accountOf(request: Request): string | undefined {
  const caller = (request as Request & { user?: User }).user;
  if (caller) return `user:${caller.id}`;
  const email: unknown = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? `email:${email.trim().toLowerCase()}` : undefined;
}
