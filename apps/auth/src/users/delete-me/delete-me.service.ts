import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { lockUser } from '../lock-user';

@Injectable()
export class DeleteMeService {
  constructor(private readonly dataSource: DataSource) {}

  /** Removes the account; `deleted` and then a tombstone commit with it (user.outbox-mapper.ts). */
  async delete(userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.remove(await lockUser(manager, userId));
    });
  }
}
