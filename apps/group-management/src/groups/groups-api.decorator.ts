import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@playball/platform/openapi';
import { RateLimitGuard } from '@playball/platform/throttling';

/** What every group route shares in the OpenAPI document: the tag, the bearer token, two answers. */
export function GroupsApi(): ClassDecorator {
  return applyDecorators(
    ApiTags('groups'),
    ApiBearerAuth(),
    ApiProblems({
      401: 'AUTH.UNAUTHENTICATED',
      503: 'CONSISTENCY.PENDING (the token is newer than this service’s view of the user; Retry-After), SERVICE.UNAVAILABLE',
    }),
  );
}

/**
 * A route that changes groups: limited per client and per caller (RateLimitModule), after the
 * class's JwtAuthGuard has named the caller.
 */
export function GroupWrite(): MethodDecorator {
  return applyDecorators(UseGuards(RateLimitGuard), ApiProblems({ 429: 'RATE_LIMITED (Retry-After)' }));
}
