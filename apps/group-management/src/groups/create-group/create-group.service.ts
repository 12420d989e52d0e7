import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { withIntent } from '@playball/outbox';
import { AuthenticatedUser } from '../../auth/authenticated-user';
import { Group } from '../group.entity';
import { groupOutboxMapper } from '../group.outbox-mapper';
import { lockLiveUser } from '../group-locks';
import { GROUP_QUOTAS, GroupQuotas } from '../group-quotas';
import { GroupResponse, renderGroup } from '../group.view';
import { addMember } from '../memberships';

@Injectable()
export class CreateGroupService {
  constructor(
    private readonly db: DataSource,
    @Inject(GROUP_QUOTAS) private readonly quotas: GroupQuotas,
  ) {}

  /**
   * The group at version 1, then its creator as its first admin at version 2: two events. The
   * creator's view row is locked first, as every use case locks a user before a group.
   */
  create(caller: AuthenticatedUser, name: string): Promise<GroupResponse> {
    return this.db.transaction(async (manager) => {
      const creator = await lockLiveUser(manager, caller.userId);
      const group = manager.create(Group, { id: uuidv7(), name, version: 1 });
      await manager.save(group, withIntent(groupOutboxMapper, { createdBy: caller.userId }));
      await addMember(manager, group, creator, 'admin', this.quotas);
      return renderGroup(manager, group);
    });
  }
}
