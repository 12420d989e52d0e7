import { Body, Controller, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { RateLimitGuard } from '@playball/platform/throttling';
import { BearerAuthGuard } from '../authentication/bearer-auth.guard';
import { CurrentUser } from '../authentication/current-user.decorator';
import { User } from '../user.entity';
import { MeResponse, meResponse, toMeResponse } from '../user.response';
import { UpdateMeBody, updateMeBody } from './update-me.dto';
import { UpdateMeService } from './update-me.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
@UseGuards(BearerAuthGuard)
export class UpdateMeController {
  constructor(private readonly service: UpdateMeService) {}

  @Patch()
  // After the class's BearerAuthGuard: counted per caller too, so a stolen token cannot guess currentPassword at argon2 speed.
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'Change the display name, email or password' })
  @ApiBody({ schema: openApiSchema(updateMeBody) })
  @ApiOkResponse({
    description:
      'The user after the change. A new email or password ends every token issued before it, this one too: log in again.',
    schema: openApiSchema(meResponse, 'output'),
  })
  @ApiProblems(
    'USER.CURRENT_PASSWORD_INCORRECT',
    'USER.EMAIL_TAKEN',
    'RATE_LIMITED',
    'AUTH.BUSY',
    'SERVICE.UNAVAILABLE',
  )
  async update(@CurrentUser() user: User, @Body(new ZodPipe(updateMeBody)) body: UpdateMeBody): Promise<MeResponse> {
    return toMeResponse(await this.service.update(user, body));
  }
}
