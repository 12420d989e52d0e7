import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@playball/platform/http';
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
   * Applies the changes in one transaction. Only a new display name is public state: it bumps the
   * version and publishes `updated`; email and password changes publish nothing.
   */
  async update(userId: string, changes: UpdateMeBody): Promise<User> {
    // Hashed before the transaction so the row lock is not held for argon2's ~50 ms.
    const passwordHash = changes.password === undefined ? undefined : await this.passwords.hash(changes.password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await lockUser(manager, userId);
        if (changes.currentPassword !== undefined) await this.requirePassword(user, changes.currentPassword);
        apply(user, changes, passwordHash);
        return manager.save(user);
      });
    } catch (error) {
      rethrowEmailTaken(error);
    }
  }

  private async requirePassword(user: User, password: string): Promise<void> {
    if (await this.passwords.verify(user.passwordHash, password)) return;
    throw new AppError('USER.CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect.');
  }
}

function apply(user: User, changes: UpdateMeBody, passwordHash: string | undefined): void {
  if (changes.displayName !== undefined && changes.displayName !== user.displayName) {
    user.displayName = changes.displayName;
    user.version += 1;
  }
  if (changes.email !== undefined) user.email = changes.email;
  if (passwordHash !== undefined) user.passwordHash = passwordHash;
}
