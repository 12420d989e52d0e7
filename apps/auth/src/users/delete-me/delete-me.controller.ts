import { Body, Controller, Delete, HttpCode, HttpStatus, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { RateLimitGuard } from '@playball/platform/throttling';
import { BearerAuthGuard } from '../authentication/bearer-auth.guard';
import { CurrentUser } from '../authentication/current-user.decorator';
import { User } from '../user.entity';
import { DeleteMeBody, deleteMeBody } from './delete-me.dto';
import { DeleteMeService } from './delete-me.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
@UseGuards(BearerAuthGuard)
export class DeleteMeController {
  constructor(private readonly service: DeleteMeService) {}

  @Delete()
  // After the class's BearerAuthGuard, so that it counts per caller too.
  @UseGuards(RateLimitGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete the caller’s account' })
  @ApiBody({ schema: openApiSchema(deleteMeBody) })
  @ApiNoContentResponse({ description: 'The account is gone; its tokens stop working.' })
  @ApiProblems('USER.CURRENT_PASSWORD_INCORRECT', 'RATE_LIMITED', 'AUTH.BUSY', 'SERVICE.UNAVAILABLE')
  delete(@CurrentUser() user: User, @Body(new ZodPipe(deleteMeBody)) body: DeleteMeBody): Promise<void> {
    return this.service.delete(user, body.currentPassword);
  }
}
