import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { GroupManagementError } from '../errors';

/** Passport's JWT guard, with its failures rendered as problem+json `AUTH.UNAUTHENTICATED`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<User>(error: unknown, user: User | false): User {
    if (error) throw error;
    // One answer for every flaw: which check failed (audience, expiry, key) helps only a forger.
    if (!user) throw new GroupManagementError('AUTH.UNAUTHENTICATED', 'A valid bearer token is required.');
    return user;
  }
}
