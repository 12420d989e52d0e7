import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { requireCurrentPassword } from '../current-password';
import { lockUser } from '../lock-user';
import { PasswordHasher } from '../password-hasher';

@Injectable()
export class DeleteMeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordHasher,
  ) {}

  /** Removes the account; `deleted` and then a tombstone commit with it (user.outbox-mapper.ts). */
  async delete(userId: string, currentPassword: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await lockUser(manager, userId);
      await requireCurrentPassword(this.passwords, user, currentPassword);
      await manager.remove(user);
    });
  }
}
