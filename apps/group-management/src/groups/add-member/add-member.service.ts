import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@playball/platform/http';
import { AuthenticatedUser } from '../../auth/authenticated-user';
import { requireAdmin } from '../group-access';
import { GroupChanges } from '../group-changes';
import { GroupResponse, renderGroup } from '../group.view';
import { Role } from '../membership.entity';

@Injectable()
export class AddMemberService {
  constructor(private readonly db: DataSource) {}

  add(caller: AuthenticatedUser, groupId: string, userId: string, role: Role): Promise<GroupResponse> {
    return this.db.transaction(async (manager) => {
      const changes = new GroupChanges(manager);
      await changes.lockLiveUser(userId);
      const group = await changes.lock(groupId);
      const members = await changes.members(groupId);
      requireAdmin(members, caller.userId);
      if (members.some((m) => m.userId === userId)) {
        throw new AppError('GROUP.ALREADY_MEMBER', 'The user is already a member of the group.');
      }
      await changes.addMember(group, userId, role);
      return renderGroup(manager, group);
    });
  }
}
