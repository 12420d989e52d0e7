import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { openApiSchema } from '@playball/platform/openapi';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { Group } from '../group.entity';
import { GroupResponse, groupResponse, renderGroups } from '../group.view';
import { GroupsApi } from '../groups-api.decorator';

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class ListGroupsController {
  constructor(private readonly db: DataSource) {}

  /** The caller's groups, oldest first. */
  @Get()
  @ApiOkResponse({
    description: 'The caller’s groups, oldest first.',
    schema: openApiSchema(z.array(groupResponse), 'output'),
  })
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
