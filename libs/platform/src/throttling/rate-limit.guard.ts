import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { PlatformError } from '../http/errors';

/**
 * Applies RateLimitModule's limits (per client and per account) to a route. Put it after the route's
 * authentication guard, so that the account is known. Over a limit, the answer is problem+json
 * RATE_LIMITED with Retry-After, like every other error.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    limit: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new PlatformError('RATE_LIMITED', 'Too many requests; try again later.', {
      retryAfter: limit.timeToBlockExpire,
    });
  }
}
