import { EntityManager } from 'typeorm';

import { User } from './user.entity';
import { AuthError } from '../errors';

/**
 * Loads the user for a change, holding its row lock to the end of the transaction: changes of one
 * user serialize, so their outbox rows are written in commit order (and versions never collide).
 */
export async function lockUser(manager: EntityManager, id: string): Promise<User> {
  const user = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
  // The guard saw the account a moment ago; if it is gone now, so is the caller's identity.
  if (!user) throw new AuthError('AUTH.UNAUTHENTICATED', 'The account no longer exists.');
  return user;
}
