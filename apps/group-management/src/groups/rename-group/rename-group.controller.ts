import { Body, Controller, Param, Patch, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ZodPipe } from '@playball/platform';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { groupNameInput } from '../group-name';
import { GroupResponse } from '../group.view';
import { IfMatch, IfMatchHeader } from '../if-match';
import { RenameGroupService } from './rename-group.service';

const RenameGroupDto = z.strictObject({ name: groupNameInput });
type RenameGroupDto = z.output<typeof RenameGroupDto>;

@Controller('groups')
@UseGuards(JwtAuthGuard)
export class RenameGroupController {
  constructor(private readonly service: RenameGroupService) {}

  @Patch(':id')
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
