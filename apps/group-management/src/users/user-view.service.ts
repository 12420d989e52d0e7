import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { applyIfNewer } from '@playball/inbox';

/** PostgreSQL channel told (at commit) that a user's view row changed; read-your-writes waits on it. */
export const USER_VIEW_CHANNEL = 'user_view';

@Injectable()
export class UserViewService {
  /** Applies a registered/updated state unless the view already has it, a newer one, or a tombstone. */
  async upsert(
    manager: EntityManager,
    user: { userId: string; displayName: string; version: number },
  ): Promise<boolean> {
    const changed = await applyIfNewer(manager, {
      table: 'users',
      id: user.userId,
      version: user.version,
      values: { display_name: user.displayName },
    });
    if (changed) await notifyChanged(manager, user.userId, user.version);
    return changed;
  }

  /** Leaves a tombstone row: the name is cleared, the id and version stay to block late events. */
  async markDeleted(manager: EntityManager, user: { userId: string; version: number }): Promise<boolean> {
    const changed = await applyIfNewer(manager, {
      table: 'users',
      id: user.userId,
      version: user.version,
      values: { display_name: null },
      deleted: true,
    });
    if (changed) await notifyChanged(manager, user.userId, user.version);
    return changed;
  }
}

async function notifyChanged(manager: EntityManager, userId: string, version: number): Promise<void> {
  await manager.query(`select pg_notify($1, $2)`, [USER_VIEW_CHANNEL, `${userId}:${version}`]);
}
