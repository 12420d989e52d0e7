import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@playball/platform/openapi';
import { RateLimitGuard } from '@playball/platform/throttling';

/**
 * What every group route shares in the OpenAPI document: the tag, the bearer token, and the 503s of
 * the token check (CONSISTENCY.PENDING: the token is newer than this service's view of the user)
 * and of the database.
 */
export function GroupsApi(): ClassDecorator {
  return applyDecorators(ApiTags('groups'), ApiBearerAuth(), ApiProblems('CONSISTENCY.PENDING', 'SERVICE.UNAVAILABLE'));
}

/**
 * A route that changes groups: limited per client and per caller (RateLimitModule), after the
 * class's JwtAuthGuard has named the caller.
 */
export function GroupWrite(): MethodDecorator {
  return applyDecorators(UseGuards(RateLimitGuard), ApiProblems('RATE_LIMITED'));
}
