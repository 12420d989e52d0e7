import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuthenticatedUser } from '../../auth/authenticated-user';
import { requireAdmin } from '../group-access';
import { lockGroup, lockLiveUser, membersOf } from '../group-locks';
import { GroupResponse, renderGroup } from '../group.view';
import { Role } from '../membership.entity';
import { addMember } from '../memberships';
import { GroupManagementError } from '../../errors';

@Injectable()
export class AddMemberService {
  constructor(private readonly db: DataSource) {}

  add(caller: AuthenticatedUser, groupId: string, userId: string, role: Role): Promise<GroupResponse> {
    return this.db.transaction(async (manager) => {
      await lockLiveUser(manager, userId);
      const group = await lockGroup(manager, groupId);
      const members = await membersOf(manager, groupId);
      requireAdmin(members, caller.userId);
      if (members.some((m) => m.userId === userId)) {
        throw new GroupManagementError('GROUP.ALREADY_MEMBER', 'The user is already a member of the group.');
      }
      await addMember(manager, group, userId, role);
      return renderGroup(manager, group);
    });
  }
}
