import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling: a live user the view knows at least at the version their token was issued. */
export interface AuthenticatedUser {
  userId: string;
  displayName: string;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => context.switchToHttp().getRequest().user,
);
