import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiPublic, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { RateLimitGuard } from '@playball/platform/throttling';
import { AccessTokenResponse, accessTokenResponse, LoginBody, loginBody } from './login.dto';
import { LoginService } from './login.service';

@ApiTags('auth')
@Controller('auth')
export class LoginController {
  constructor(private readonly service: LoginService) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'Log in for an access token' })
  @ApiPublic()
  @ApiBody({ schema: openApiSchema(loginBody) })
  @ApiOkResponse({
    description: 'An RS256 access token; verify it with /.well-known/jwks.json.',
    schema: openApiSchema(accessTokenResponse, 'output'),
  })
  @ApiProblems('AUTH.INVALID_CREDENTIALS', 'RATE_LIMITED', 'AUTH.BUSY', 'SERVICE.UNAVAILABLE')
  login(@Body(new ZodPipe(loginBody)) body: LoginBody): Promise<AccessTokenResponse> {
    return this.service.login(body);
  }
}
