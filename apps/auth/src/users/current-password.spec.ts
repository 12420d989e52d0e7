import { AuthConfig } from '../config';
import { AuthError } from '../errors';
import { checkCurrentPassword, requireCheckedPassword } from './current-password';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';

describe('the current password check', () => {
  const passwords = new PasswordHasher({
    PASSWORD_HASH_MEMORY_KIB: 19_456,
    PASSWORD_HASH_PASSES: 2,
    PASSWORD_HASH_CONCURRENCY: 1,
    PASSWORD_HASH_QUEUE: 8,
  } as AuthConfig);

  async function caller(password: string): Promise<User> {
    return Object.assign(new User(), { id: 'u1', passwordHash: await passwords.hash(password) });
  }

  it('resolves with the hash it checked, or refuses a wrong password', async () => {
    const user = await caller('correct horse battery');
    await expect(checkCurrentPassword(passwords, user, 'correct horse battery')).resolves.toBe(user.passwordHash);
    await expect(checkCurrentPassword(passwords, user, 'wrong')).rejects.toMatchObject({
      code: 'USER.CURRENT_PASSWORD_INCORRECT',
    });
  });

  it('refuses, once the row is locked, a password changed since it was checked', async () => {
    const checked = await caller('correct horse battery');
    const checkedHash = await checkCurrentPassword(passwords, checked, 'correct horse battery');
    const changedMeanwhile = await caller('another password');

    expect(() => requireCheckedPassword(checked, checkedHash)).not.toThrow();
    expect(() => requireCheckedPassword(changedMeanwhile, checkedHash)).toThrow(AuthError);
  });
});
