import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { Group } from '../group.entity';
import { requireMember } from '../group-access';
import { GroupIdPipe } from '../group-id.pipe';
import { GroupResponse, groupResponse, membershipsOf, renderWithMembers } from '../group.view';
import { GroupsApi } from '../groups-api.decorator';
import { GroupManagementError } from '../../errors';

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class GetGroupController {
  constructor(private readonly db: DataSource) {}

  @Get(':id')
  @ApiOperation({ summary: 'Read a group the caller belongs to' })
  @ApiOkResponse({
    description: 'The group and its members.',
    schema: openApiSchema(groupResponse, 'output'),
  })
  // GROUP.NOT_FOUND also when the caller is not a member: a stranger learns nothing.
  @ApiProblems('GROUP.NOT_FOUND')
  async get(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
  ): Promise<GroupResponse> {
    const group = await this.db.manager.findOneBy(Group, { id });
    if (!group) throw new GroupManagementError('GROUP.NOT_FOUND', 'No such group.');
    // One read of the memberships serves the member check and the answer: a read needs no read-back.
    const members = await membershipsOf(this.db.manager, [id]);
    requireMember(members, caller.userId);
    const [rendered] = await renderWithMembers(this.db.manager, [group], members);
    return rendered;
  }
}
