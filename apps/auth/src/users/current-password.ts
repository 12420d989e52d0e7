import { AuthError } from '../errors';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';

/** The check PATCH and DELETE /users/me make: a stolen token alone must not take over or delete the account. */
export async function requireCurrentPassword(passwords: PasswordHasher, user: User, password: string): Promise<void> {
  if (await passwords.verify(user.passwordHash, password)) return;
  throw new AuthError('USER.CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect.');
}
