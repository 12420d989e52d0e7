import { Body, Controller, Param, Patch, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { groupNameInput } from '../group-name';
import { GroupResponse, groupResponse } from '../group.view';
import { GroupsApi, GroupWrite } from '../groups-api.decorator';
import { IfMatchHeader } from '../if-match';
import { RenameGroupService } from './rename-group.service';

const RenameGroupDto = z.strictObject({ name: groupNameInput });
type RenameGroupDto = z.output<typeof RenameGroupDto>;

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class RenameGroupController {
  constructor(private readonly service: RenameGroupService) {}

  @Patch(':id')
  @GroupWrite()
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The `version` the caller saw, as `"3"` (or `3`); `*` renames whatever the version.',
  })
  @ApiBody({ schema: openApiSchema(RenameGroupDto) })
  @ApiOkResponse({
    description: 'The renamed group, with its new version.',
    schema: openApiSchema(groupResponse, 'output'),
  })
  @ApiProblems({
    400: 'REQUEST.INVALID, REQUEST.MALFORMED_JSON',
    403: 'GROUP.NOT_ADMIN',
    404: 'GROUP.NOT_FOUND',
    412: 'GROUP.VERSION_MISMATCH (with currentVersion)',
    428: 'GROUP.VERSION_REQUIRED',
  })
  async rename(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
    @IfMatchHeader() ifMatch: string | undefined,
    @Body(new ZodPipe(RenameGroupDto)) body: RenameGroupDto,
  ): Promise<GroupResponse> {
    return this.service.rename(caller, id, ifMatch, body.name);
  }
}
