import { AuthError } from '../errors';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';

/**
 * The check PATCH and DELETE /users/me make: a stolen token alone must not take over or delete the
 * account. It runs before their transaction, against the hash the caller was loaded with, so that no
 * row lock or pooled connection is held while argon2 runs (~150 ms) or waits for a lane (up to
 * PASSWORD_HASH_QUEUE of them). The transaction then calls `requireCheckedPassword` on the locked row.
 * Resolves with the hash it checked against.
 */
export async function checkCurrentPassword(passwords: PasswordHasher, caller: User, password: string): Promise<string> {
  if (await passwords.verify(caller.passwordHash, password)) return caller.passwordHash;
  throw incorrect();
}

/** The locked row still has the hash that was checked: a password changed in between was not. */
export function requireCheckedPassword(locked: User, checkedHash: string): void {
  if (locked.passwordHash !== checkedHash) throw incorrect();
}

function incorrect(): AuthError {
  return new AuthError('USER.CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect.');
}
