import { Controller, Get, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { Group } from '../group.entity';
import { GroupResponse, renderGroups } from '../group.view';

@Controller('groups')
@UseGuards(JwtAuthGuard)
export class ListGroupsController {
  constructor(private readonly db: DataSource) {}

  /** The caller's groups, oldest first. */
  @Get()
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<GroupResponse[]> {
    const groups = await this.db.manager
      .createQueryBuilder(Group, 'g')
      .innerJoin('memberships', 'm', 'm.group_id = g.id and m.user_id = :userId', { userId: caller.userId })
      .orderBy('g.created_at', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .getMany();
    return renderGroups(this.db.manager, groups);
  }
}
