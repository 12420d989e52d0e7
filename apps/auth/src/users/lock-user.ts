import { EntityManager, In } from 'typeorm';
import { lockAllForChange, lockForChange } from '@playball/outbox';

import { User } from './user.entity';
import { AuthError } from '../errors';

/**
 * Loads the user for a change, holding its row lock to the end of the transaction: changes of one
 * user serialize, so their outbox rows are written in commit order (and versions never collide),
 * and the capture maps the saved row without reading it back.
 */
export async function lockUser(manager: EntityManager, id: string): Promise<User> {
  const user = await lockForChange(manager, User, { id });
  // The guard saw the account a moment ago; if it is gone now, so is the caller's identity.
  if (!user) throw new AuthError('AUTH.UNAUTHENTICATED', 'The account no longer exists.');
  return user;
}

/** lockUser for several users in one statement (a batch job's), in id order; every one must exist. */
export async function lockUsers(manager: EntityManager, ids: string[]): Promise<User[]> {
  const users = await lockAllForChange(manager, User, { id: In(ids) });
  if (users.length !== new Set(ids).size) throw new AuthError('AUTH.UNAUTHENTICATED', 'An account no longer exists.');
  return users;
}
