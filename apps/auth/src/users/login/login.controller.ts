import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
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
  @ApiBody({ schema: openApiSchema(loginBody) })
  @ApiOkResponse({
    description: 'An RS256 access token; verify it with /.well-known/jwks.json.',
    schema: openApiSchema(accessTokenResponse, 'output'),
  })
  @ApiProblems({
    400: 'REQUEST.INVALID, REQUEST.MALFORMED_JSON',
    401: 'AUTH.INVALID_CREDENTIALS',
    413: 'REQUEST.TOO_LARGE',
    415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
  })
  login(@Body(new ZodPipe(loginBody)) body: LoginBody): Promise<AccessTokenResponse> {
    return this.service.login(body);
  }
}
