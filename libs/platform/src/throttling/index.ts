/** throttling: rate limits per client and per account, counted in the app's PostgreSQL so that instances share them. */
import { CreateRateLimits1764100000002 } from './migrations/1764100000002-create-rate-limits';

export * from './rate-limit.guard';
export * from './rate-limit.module';
export * from './rate-limit.storage';

/** The `rate_limits` table; each app that uses RateLimitModule lists it with its migrations. */
export const rateLimitMigrations = [CreateRateLimits1764100000002];
