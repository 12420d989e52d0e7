import { Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { RemoveMemberService } from './remove-member.service';

@Controller('groups')
@UseGuards(JwtAuthGuard)
export class RemoveMemberController {
  constructor(private readonly service: RemoveMemberService) {}

  @Delete(':id/members/:userId')
  @HttpCode(204)
  remove(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
    @Param('userId', new GroupIdPipe('MEMBER.NOT_FOUND')) userId: string,
  ): Promise<void> {
    return this.service.remove(caller, id, userId);
  }
}
