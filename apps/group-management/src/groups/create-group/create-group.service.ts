import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuthenticatedUser } from '../../auth/authenticated-user';
import { Group } from '../group.entity';
import { GroupChanges } from '../group-changes';
import { GROUP_QUOTAS, GroupQuotas } from '../group-quotas';
import { GroupResponse, renderGroup } from '../group.view';

@Injectable()
export class CreateGroupService {
  constructor(
    private readonly db: DataSource,
    @Inject(GROUP_QUOTAS) private readonly quotas: GroupQuotas,
  ) {}

  create(caller: AuthenticatedUser, name: string): Promise<GroupResponse> {
    return this.db.transaction(async (manager) => {
      const group = manager.create(Group, { id: uuidv7(), name, version: 0 });
      await manager.insert(Group, group);
      const changes = new GroupChanges(manager);
      await changes.record(group, 'playball.group.created.v1', { groupId: group.id, name, createdBy: caller.userId });
      await changes.addMember(group, caller.userId, 'admin', this.quotas);
      return renderGroup(manager, group);
    });
  }
}
