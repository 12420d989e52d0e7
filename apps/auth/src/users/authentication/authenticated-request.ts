import type { Request } from 'express';
import { User } from '../user.entity';

/** A request that passed BearerAuthGuard: `user` is the caller, loaded fresh from the database. */
export interface AuthenticatedRequest extends Request {
  user: User;
}
