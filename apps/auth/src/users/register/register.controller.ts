import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, ApiPublic, openApiSchema } from '@playball/platform/openapi';
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
  @ApiOperation({ summary: 'Register an account' })
  @ApiPublic()
  @ApiBody({ schema: openApiSchema(registerBody) })
  @ApiCreatedResponse({ description: 'The new account.', schema: openApiSchema(registeredResponse, 'output') })
  @ApiProblems('USER.EMAIL_TAKEN', 'RATE_LIMITED', 'AUTH.BUSY', 'SERVICE.UNAVAILABLE')
  async register(@Body(new ZodPipe(registerBody)) body: RegisterBody): Promise<RegisteredResponse> {
    const user = await this.service.register(body);
    return { id: user.id, email: user.email, displayName: user.displayName };
  }
}
