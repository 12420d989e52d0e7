import { Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse } from '@nestjs/swagger';
import { ApiProblems } from '@playball/platform/openapi';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { GroupsApi, GroupWrite } from '../groups-api.decorator';
import { RemoveMemberService } from './remove-member.service';

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class RemoveMemberController {
  constructor(private readonly service: RemoveMemberService) {}

  @Delete(':id/members/:userId')
  @GroupWrite()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed (admins remove anyone; a member removes only themself).' })
  @ApiProblems({ 403: 'GROUP.NOT_ADMIN', 404: 'GROUP.NOT_FOUND, MEMBER.NOT_FOUND' })
  remove(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
    @Param('userId', new GroupIdPipe('MEMBER.NOT_FOUND')) userId: string,
  ): Promise<void> {
    return this.service.remove(caller, id, userId);
  }
}
