import { Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '../../auth/authenticated-user';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { GroupIdPipe } from '../group-id.pipe';
import { IfMatch, IfMatchHeader } from '../if-match';
import { DeleteGroupService } from './delete-group.service';

@Controller('groups')
@UseGuards(JwtAuthGuard)
export class DeleteGroupController {
  constructor(private readonly service: DeleteGroupService) {}

  @Delete(':id')
  @HttpCode(204)
  delete(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new GroupIdPipe()) id: string,
    @IfMatchHeader({ required: false }) ifMatch: IfMatch | undefined,
  ): Promise<void> {
    return this.service.delete(caller, id, ifMatch);
  }
}
