import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { applyAllIfNewer, notifyApplied } from '@playball/inbox';

/** PostgreSQL channel told (at commit) that a user's view row changed; read-your-writes waits on it. */
export const USER_VIEW_CHANNEL = 'user_view';

/** A user as auth's events carry it; a deleted user has no name. */
export interface UserState {
  userId: string;
  displayName: string | null;
  version: number;
  /** Tokens issued at an older version are refused (UserViewWaiter). */
  credentialsVersion: number;
  deleted: boolean;
}

@Injectable()
export class UserViewService {
  /**
   * Applies the states in the order given, each unless the view already has it, a newer one, or a
   * tombstone: a deleted user stays as a row with its id and version (name cleared) so that a late
   * event cannot bring it back. Each change notifies USER_VIEW_CHANNEL at commit, from the same
   * statement. Returns whether each state changed the view.
   */
  apply(manager: EntityManager, users: UserState[]): Promise<boolean[]> {
    return applyAllIfNewer(
      manager,
      'users',
      users.map((u) => ({
        id: u.userId,
        version: u.version,
        values: { display_name: u.displayName, credentials_version: u.credentialsVersion },
        deleted: u.deleted,
      })),
      // An auth of before credentialsVersion sends none (read as 1): it must not undo a later change's.
      { notify: USER_VIEW_CHANNEL, monotonic: ['credentials_version'] },
    );
  }

  /** Applies a registered/updated state unless the view already has it, a newer one, or a tombstone. */
  async upsert(
    manager: EntityManager,
    user: { userId: string; displayName: string; version: number; credentialsVersion?: number },
  ) {
    const [changed] = await this.apply(manager, [{ credentialsVersion: 1, ...user, deleted: false }]);
    return changed;
  }
}

/**
 * One NOTIFY per changed user, all in one statement; PostgreSQL delivers them at commit. For changes
 * not made through UserViewService.apply (whose upsert notifies itself), such as ops' switch-over.
 */
export function notifyChanged(manager: EntityManager, rows: { id: string; version: number }[]): Promise<void> {
  return notifyApplied(manager, USER_VIEW_CHANNEL, rows);
}
