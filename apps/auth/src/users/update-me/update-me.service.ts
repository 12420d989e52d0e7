import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { checkCurrentPassword, requireCheckedPassword } from '../current-password';
import { rethrowEmailTaken } from '../email-taken';
import { lockUser } from '../lock-user';
import { PasswordHasher } from '../password-hasher';
import { User } from '../user.entity';
import { UpdateMeBody } from './update-me.dto';

@Injectable()
export class UpdateMeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordHasher,
  ) {}

  /**
   * Applies the changes in one transaction. A new display name, email or password bumps the version
   * and publishes `updated`; a new email or password also voids every token issued before it.
   */
  async update(caller: User, changes: UpdateMeBody): Promise<User> {
    // argon2 runs before the transaction, so the row lock is not held while it runs or waits for a lane.
    const checkedHash =
      changes.currentPassword === undefined
        ? undefined
        : await checkCurrentPassword(this.passwords, caller, changes.currentPassword);
    const passwordHash = changes.password === undefined ? undefined : await this.passwords.hash(changes.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await lockUser(manager, caller.id);
        if (checkedHash !== undefined) requireCheckedPassword(user, checkedHash);
        apply(user, changes, passwordHash);
        // Locked since lockUser, so the row is this object: save() merges what the database set
        // (updated_at, RETURNING) into it, and no read-back is needed for the answer.
        return manager.save(user);
      });
    } catch (error) {
      rethrowEmailTaken(error);
    }
  }
}

function apply(user: User, changes: UpdateMeBody, passwordHash: string | undefined): void {
  const renamed = changes.displayName !== undefined && changes.displayName !== user.displayName;
  const credentialsChanged =
    passwordHash !== undefined || (changes.email !== undefined && changes.email !== user.email);
  if (renamed) user.displayName = changes.displayName!;
  if (changes.email !== undefined) user.email = changes.email;
  if (passwordHash !== undefined) user.passwordHash = passwordHash;
  if (renamed || credentialsChanged) user.version += 1;
  // The token of this very request is voided too: the client logs in again with the new credentials.
  if (credentialsChanged) user.credentialsVersion = user.version;
}
