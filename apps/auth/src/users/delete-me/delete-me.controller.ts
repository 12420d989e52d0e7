import { Controller, Delete, HttpCode, HttpStatus, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@playball/platform/openapi';
import { BearerAuthGuard } from '../authentication/bearer-auth.guard';
import { CurrentUser } from '../authentication/current-user.decorator';
import { User } from '../user.entity';
import { DeleteMeService } from './delete-me.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
@UseGuards(BearerAuthGuard)
export class DeleteMeController {
  constructor(private readonly service: DeleteMeService) {}

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The account is gone; its tokens stop working.' })
  @ApiProblems({ 401: 'AUTH.UNAUTHENTICATED' })
  delete(@CurrentUser() user: User): Promise<void> {
    return this.service.delete(user.id);
  }
}
