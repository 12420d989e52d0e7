import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { Group } from '../group.entity';
import { requireMember } from '../group-access';
import { GroupIdPipe } from '../group-id.pipe';
import { GroupResponse, groupResponse, renderGroup } from '../group.view';
import { GroupsApi } from '../groups-api.decorator';
import { Membership } from '../membership.entity';
import { GroupManagementError } from '../../errors';

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class GetGroupController {
  constructor(private readonly db: DataSource) {}

  @Get(':id')
  @ApiOkResponse({
    description: 'The group and its members.',
    schema: openApiSchema(groupResponse, 'output'),
  })
  @ApiProblems({ 404: 'GROUP.NOT_FOUND (also when the caller is not a member)' })
  async get(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
  ): Promise<GroupResponse> {
    const group = await this.db.manager.findOneBy(Group, { id });
    if (!group) throw new GroupManagementError('GROUP.NOT_FOUND', 'No such group.');
    requireMember(await this.db.manager.findBy(Membership, { groupId: id }), caller.userId);
    return renderGroup(this.db.manager, group);
  }
}
