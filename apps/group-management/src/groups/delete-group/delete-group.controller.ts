import { Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse } from '@nestjs/swagger';
import { ApiProblems } from '@playball/platform/openapi';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { GroupsApi, GroupWrite } from '../groups-api.decorator';
import { IfMatchHeader } from '../if-match';
import { DeleteGroupService } from './delete-group.service';

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class DeleteGroupController {
  constructor(private readonly service: DeleteGroupService) {}

  @Delete(':id')
  @GroupWrite()
  @HttpCode(204)
  @ApiHeader({ name: 'If-Match', required: false, description: 'Delete only this `version`, as `"3"`.' })
  @ApiNoContentResponse({ description: 'Deleted, with its members; `playball.group.deleted.v1` is published.' })
  @ApiProblems({ 403: 'GROUP.NOT_ADMIN', 404: 'GROUP.NOT_FOUND', 412: 'GROUP.VERSION_MISMATCH' })
  delete(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
    @IfMatchHeader() ifMatch: string | undefined,
  ): Promise<void> {
    return this.service.delete(caller, id, ifMatch);
  }
}
