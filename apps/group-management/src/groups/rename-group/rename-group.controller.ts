import { Body, Controller, Param, Patch, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiProblems, openApiSchema, ZodPipe } from '@playball/platform';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { groupNameInput } from '../group-name';
import { GroupResponse, groupResponse } from '../group.view';
import { GroupsApi } from '../groups-api.decorator';
import { IfMatch, IfMatchHeader } from '../if-match';
import { RenameGroupService } from './rename-group.service';

const RenameGroupDto = z.strictObject({ name: groupNameInput });
type RenameGroupDto = z.output<typeof RenameGroupDto>;

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class RenameGroupController {
  constructor(private readonly service: RenameGroupService) {}

  @Patch(':id')
  @ApiHeader({ name: 'If-Match', required: true, description: 'The version renamed, as `"3"`; `*` for any.' })
  @ApiBody({ schema: openApiSchema(RenameGroupDto) })
  @ApiOkResponse({
    description: 'The renamed group, with its new ETag.',
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
    @IfMatchHeader({ required: true }) ifMatch: IfMatch,
    @Body(new ZodPipe(RenameGroupDto)) body: RenameGroupDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<GroupResponse> {
    const group = await this.service.rename(caller, id, ifMatch, body.name);
    response.setHeader('ETag', `"${group.version}"`);
    return group;
  }
}
