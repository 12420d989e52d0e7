import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { User } from '../user.entity';
import { AuthenticatedRequest } from './authenticated-request';

/** The caller, as BearerAuthGuard loaded them. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User => context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
