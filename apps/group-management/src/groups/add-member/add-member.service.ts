import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuthenticatedUser } from '../../auth/authenticated-user';
import { requireAdmin } from '../group-access';
import { lockGroup, lockLiveUser, membersOf } from '../group-locks';
import { GROUP_QUOTAS, GroupQuotas } from '../group-quotas';
import { GroupResponse, renderGroup } from '../group.view';
import { Role } from '../membership.entity';
import { addMember } from '../memberships';
import { GroupManagementError } from '../../errors';

@Injectable()
export class AddMemberService {
  constructor(
    private readonly db: DataSource,
    @Inject(GROUP_QUOTAS) private readonly quotas: GroupQuotas,
  ) {}

  /**
   * The caller's rights are judged first, without locks, before anything is read about the target:
   * a stranger (404 GROUP.NOT_FOUND) or a plain member (403 GROUP.NOT_ADMIN) gets the same answer
   * whether the user id names someone or not. Then, under the locks (user, then group), again.
   */
  add(caller: AuthenticatedUser, groupId: string, userId: string, role: Role): Promise<GroupResponse> {
    return this.db.transaction(async (manager) => {
      requireAdmin(await membersOf(manager, groupId), caller.userId);
      const user = await lockLiveUser(manager, userId);
      const group = await lockGroup(manager, groupId);
      const members = await membersOf(manager, groupId);
      requireAdmin(members, caller.userId);
      if (members.some((m) => m.userId === userId)) {
        throw new GroupManagementError('GROUP.ALREADY_MEMBER', 'The user is already a member of the group.');
      }
      await addMember(manager, group, user, role, this.quotas);
      return renderGroup(manager, group);
    });
  }
}
