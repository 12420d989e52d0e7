import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppError } from '@playball/platform';

/** Passport's JWT guard, with its failures rendered as problem+json `AUTH.UNAUTHENTICATED`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<User>(error: unknown, user: User | false, info: unknown): User {
    if (error) throw error;
    if (!user) {
      const reason = info instanceof Error ? info.message : 'A valid bearer token is required.';
      throw new AppError('AUTH.UNAUTHENTICATED', reason);
    }
    return user;
  }
}
