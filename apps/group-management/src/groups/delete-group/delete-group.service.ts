import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthenticatedUser } from '../../auth/authenticated-user';
import { requireAdmin } from '../group-access';
import { lockGroup, membersOf } from '../group-locks';
import { requireMatch } from '../if-match';
import { deleteGroup } from '../memberships';

@Injectable()
export class DeleteGroupService {
  constructor(private readonly db: DataSource) {}

  /**
   * Admins only; publishes playball.group.deleted.v1 with the members removed in the same commit.
   * `If-Match` is optional here (docs/design.md's DELETE takes none) and honoured when sent.
   */
  delete(caller: AuthenticatedUser, groupId: string, ifMatch?: string): Promise<void> {
    return this.db.transaction(async (manager) => {
      const group = await lockGroup(manager, groupId);
      const members = await membersOf(manager, groupId);
      requireAdmin(members, caller.userId);
      requireMatch(ifMatch, group.version);
      await deleteGroup(manager, group, members, 'deleted-by-admin');
    });
  }
}
