import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { BearerAuthGuard } from '../authentication/bearer-auth.guard';
import { CurrentUser } from '../authentication/current-user.decorator';
import { User } from '../user.entity';
import { MeResponse, meResponse, toMeResponse } from '../user.response';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users/me')
@UseGuards(BearerAuthGuard)
export class GetMeController {
  @Get()
  @ApiOkResponse({ description: 'The caller.', schema: openApiSchema(meResponse, 'output') })
  @ApiProblems({ 401: 'AUTH.UNAUTHENTICATED' })
  me(@CurrentUser() user: User): MeResponse {
    return toMeResponse(user);
  }
}
