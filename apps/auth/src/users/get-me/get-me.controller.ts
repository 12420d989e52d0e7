import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'Read the caller’s account' })
  @ApiOkResponse({ description: 'The caller.', schema: openApiSchema(meResponse, 'output') })
  @ApiProblems('SERVICE.UNAVAILABLE')
  me(@CurrentUser() user: User): MeResponse {
    return toMeResponse(user);
  }
}
