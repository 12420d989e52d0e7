import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthenticatedUser } from '../../auth/authenticated-user';
import { requireAdmin } from '../group-access';
import { GroupChanges } from '../group-changes';
import { requireMatch } from '../if-match';

@Injectable()
export class DeleteGroupService {
  constructor(private readonly db: DataSource) {}

  /**
   * Admins only; publishes playball.group.deleted.v1 with the members removed in the same commit.
   * `If-Match` is optional here (docs/design.md's DELETE takes none) and honoured when sent.
   */
  delete(caller: AuthenticatedUser, groupId: string, ifMatch?: string): Promise<void> {
    return this.db.transaction(async (manager) => {
      const changes = new GroupChanges(manager);
      const group = await changes.lock(groupId);
      requireAdmin(await changes.members(groupId), caller.userId);
      requireMatch(ifMatch, group.version);
      await changes.delete(group, 'deleted-by-admin');
    });
  }
}
