import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthenticatedUser } from '../../auth/authenticated-user';
import { requireAdmin } from '../group-access';
import { lockGroup, membersOf } from '../group-locks';
import { GroupResponse, renderGroup } from '../group.view';
import { requireMatch } from '../if-match';

@Injectable()
export class RenameGroupService {
  constructor(private readonly db: DataSource) {}

  /** Optimistic concurrency: the caller names the version it saw; a stale one gets 412. */
  rename(
    caller: AuthenticatedUser,
    groupId: string,
    ifMatch: string | undefined,
    name: string,
  ): Promise<GroupResponse> {
    return this.db.transaction(async (manager) => {
      const group = await lockGroup(manager, groupId);
      requireAdmin(await membersOf(manager, groupId), caller.userId);
      requireMatch(ifMatch, group.version, { required: true });
      if (group.name !== name) {
        group.name = name;
        group.version += 1;
        await manager.save(group);
      }
      return renderGroup(manager, group);
    });
  }
}
