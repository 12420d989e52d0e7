import { EntityManager } from 'typeorm';
import { EventMap } from '@playball/events';
import { addEvent } from '@playball/outbox';
import { AppError } from '@playball/platform/http';
import { UserView } from '../users/user-view.entity';
import { Group } from './group.entity';
import { Membership, Role } from './membership.entity';

type GroupEventType = Extract<keyof EventMap, `playball.group.${string}`>;
type WithoutVersion<T> = Omit<T, 'version'>;

/**
 * The one way group state changes: under the group's row lock, each change bumps the group's
 * version and records its event in the outbox, in the caller's transaction. The row lock makes
 * version order equal commit order, which is what consumers rely on.
 */
export class GroupChanges {
  constructor(private readonly manager: EntityManager) {}

  /** Loads the group for update; a missing group and a group the caller may not see look alike. */
  async lock(groupId: string): Promise<Group> {
    const group = await this.tryLock(groupId);
    if (!group) throw new AppError('GROUP.NOT_FOUND', 'No such group.');
    return group;
  }

  tryLock(groupId: string): Promise<Group | null> {
    return this.manager.findOne(Group, { where: { id: groupId }, lock: { mode: 'pessimistic_write' } });
  }

  members(groupId: string): Promise<Membership[]> {
    return this.manager.find(Membership, { where: { groupId }, order: { joinedAt: 'ASC', userId: 'ASC' } });
  }

  async record<K extends GroupEventType>(group: Group, type: K, data: WithoutVersion<EventMap[K]>): Promise<void> {
    group.version += 1;
    await this.manager.update(Group, { id: group.id }, { version: group.version, name: group.name });
    await addEvent(this.manager, type, { ...data, version: group.version } as EventMap[K]);
  }

  /**
   * Share-locks a live user's view row. Lock order is always user, then group (as the consumer of
   * a deletion does), so a use case that locks both takes the user first to avoid a deadlock.
   */
  async lockLiveUser(userId: string): Promise<void> {
    const user = await this.manager.findOne(UserView, { where: { id: userId }, lock: { mode: 'pessimistic_read' } });
    if (!user || user.deletedAt) throw new AppError('USER.NOT_FOUND', 'No such user.');
  }

  /**
   * Only users the view knows as live can join. The view row is share-locked until commit: a
   * concurrent deletion of that user (which updates the row) waits for this membership to commit,
   * and its clean-up then sees and removes it. Without the lock both commit and the deleted user
   * stays a member for good.
   */
  async addMember(group: Group, userId: string, role: Role): Promise<void> {
    await this.lockLiveUser(userId);
    await this.manager.insert(Membership, { groupId: group.id, userId, role });
    await this.record(group, 'playball.group.member-added.v1', { groupId: group.id, userId, role });
  }

  /**
   * Removes a member and keeps the group valid: the oldest remaining member is promoted when no
   * admin is left, and a group left empty is deleted. Each step is its own event.
   */
  async removeMember(group: Group, userId: string, reason: 'left' | 'removed' | 'user-deleted'): Promise<void> {
    await this.manager.delete(Membership, { groupId: group.id, userId });
    await this.record(group, 'playball.group.member-removed.v1', { groupId: group.id, userId, reason });
    const remaining = await this.members(group.id);
    if (remaining.length === 0) return this.delete(group, 'last-member-left');
    if (!remaining.some((m) => m.role === 'admin')) {
      const oldest = remaining[0];
      await this.manager.update(Membership, { groupId: group.id, userId: oldest.userId }, { role: 'admin' });
      await this.record(group, 'playball.group.member-role-changed.v1', {
        groupId: group.id,
        userId: oldest.userId,
        role: 'admin',
      });
    }
  }

  async delete(group: Group, reason: 'deleted-by-admin' | 'last-member-left'): Promise<void> {
    await this.record(group, 'playball.group.deleted.v1', { groupId: group.id, reason });
    await this.manager.delete(Membership, { groupId: group.id });
    await this.manager.delete(Group, { id: group.id });
  }
}
