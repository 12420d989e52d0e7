import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { checkCurrentPassword, requireCheckedPassword } from '../current-password';
import { lockUser } from '../lock-user';
import { PasswordHasher } from '../password-hasher';
import { User } from '../user.entity';

@Injectable()
export class DeleteMeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordHasher,
  ) {}

  /** Removes the account; `deleted` and then a tombstone commit with it (user.outbox-mapper.ts). */
  async delete(caller: User, currentPassword: string): Promise<void> {
    const checkedHash = await checkCurrentPassword(this.passwords, caller, currentPassword);
    await this.dataSource.transaction(async (manager) => {
      const user = await lockUser(manager, caller.id);
      requireCheckedPassword(user, checkedHash);
      await manager.remove(user);
    });
  }
}
