import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, openApiSchema } from '@playball/platform/openapi';
import { ZodPipe } from '@playball/platform/http';
import { RateLimitGuard } from '@playball/platform/throttling';
import { RegisterBody, registerBody, RegisteredResponse, registeredResponse } from './register.dto';
import { RegisterService } from './register.service';

@ApiTags('auth')
@Controller('auth')
export class RegisterController {
  constructor(private readonly service: RegisterService) {}

  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  @UseGuards(RateLimitGuard)
  @ApiBody({ schema: openApiSchema(registerBody) })
  @ApiCreatedResponse({ description: 'The new account.', schema: openApiSchema(registeredResponse, 'output') })
  @ApiProblems({
    400: 'REQUEST.INVALID, REQUEST.MALFORMED_JSON',
    409: 'USER.EMAIL_TAKEN',
    413: 'REQUEST.TOO_LARGE',
    415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
  })
  async register(@Body(new ZodPipe(registerBody)) body: RegisterBody): Promise<RegisteredResponse> {
    const user = await this.service.register(body);
    return { id: user.id, email: user.email, displayName: user.displayName };
  }
}
