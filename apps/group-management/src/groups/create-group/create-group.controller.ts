import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { ZodPipe } from '@playball/platform';
import { CurrentUser, AuthenticatedUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupResponse } from '../group.view';
import { CreateGroupDto } from './create-group.dto';
import { CreateGroupService } from './create-group.service';

@Controller('groups')
@UseGuards(JwtAuthGuard)
export class CreateGroupController {
  constructor(private readonly service: CreateGroupService) {}

  @Post()
  create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body(new ZodPipe(CreateGroupDto)) body: CreateGroupDto,
  ): Promise<GroupResponse> {
    return this.service.create(caller, body.name);
  }
}
