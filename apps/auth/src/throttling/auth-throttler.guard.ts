import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { AppError } from '@playball/platform/http';

/**
 * Limits credential guessing and account spraying per client (by IP address). Over the limit, the
 * answer is problem+json RATE_LIMITED with Retry-After, like every other error of this service.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    limit: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new AppError('RATE_LIMITED', 'Too many requests; try again later.', { retryAfter: limit.timeToBlockExpire });
  }
}
