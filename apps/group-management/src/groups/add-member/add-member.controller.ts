import { Body, Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { GroupResponse, groupResponse } from '../group.view';
import { GroupsApi, GroupWrite } from '../groups-api.decorator';
import { AddMemberService } from './add-member.service';

const AddMemberDto = z.strictObject({
  userId: z.uuid().transform((id) => id.toLowerCase()),
  role: z.enum(['admin', 'member']).default('member'),
});
type AddMemberDto = z.output<typeof AddMemberDto>;

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class AddMemberController {
  constructor(private readonly service: AddMemberService) {}

  @Post(':id/members')
  @GroupWrite()
  @ApiBody({ schema: openApiSchema(AddMemberDto) })
  @ApiCreatedResponse({ description: 'The group with its new member.', schema: openApiSchema(groupResponse, 'output') })
  @ApiProblems({
    400: 'REQUEST.INVALID, REQUEST.MALFORMED_JSON',
    403: 'GROUP.NOT_ADMIN',
    404: 'GROUP.NOT_FOUND, USER.NOT_FOUND',
    409: 'GROUP.ALREADY_MEMBER',
  })
  add(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
    @Body(new ZodPipe(AddMemberDto)) body: AddMemberDto,
  ): Promise<GroupResponse> {
    return this.service.add(caller, id, body.userId, body.role);
  }
}
