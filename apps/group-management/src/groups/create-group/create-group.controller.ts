import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse } from '@nestjs/swagger';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { CurrentUser, AuthenticatedUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupResponse, groupResponse } from '../group.view';
import { GroupsApi, GroupWrite } from '../groups-api.decorator';
import { CreateGroupDto } from './create-group.dto';
import { CreateGroupService } from './create-group.service';

@GroupsApi()
@Controller('groups')
@UseGuards(JwtAuthGuard)
export class CreateGroupController {
  constructor(private readonly service: CreateGroupService) {}

  @Post()
  @GroupWrite()
  @ApiBody({ schema: openApiSchema(CreateGroupDto) })
  @ApiCreatedResponse({
    description: 'The new group; the caller is its admin.',
    schema: openApiSchema(groupResponse, 'output'),
  })
  @ApiProblems({
    400: 'REQUEST.INVALID, REQUEST.MALFORMED_JSON',
    413: 'REQUEST.TOO_LARGE',
    415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  })
  create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body(new ZodPipe(CreateGroupDto)) body: CreateGroupDto,
  ): Promise<GroupResponse> {
    return this.service.create(caller, body.name);
  }
}
