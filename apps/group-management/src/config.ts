import { z } from 'zod';
import { outboxEnv } from '@playball/outbox';
import { envPositiveInt, parseEnv, serviceEnv } from '@playball/platform/config';

export const groupManagementConfigSchema = serviceEnv({
  port: 3002,
  database: 'playball_group_management',
  clientId: 'group-management',
})
  .extend(outboxEnv.shape)
  .extend({
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('group-management'),
    INBOX_RETENTION_HOURS: envPositiveInt.default(24 * 14),
    AUTH_JWKS_URL: z.url().default('http://127.0.0.1:3001/.well-known/jwks.json'),
    /** Least time between two JWKS fetches triggered by an unknown `kid`. */
    AUTH_JWKS_REFETCH_INTERVAL_MS: envPositiveInt.default(10_000),
    /**
     * How long fetched keys are trusted before they are fetched again: a key auth withdraws (say,
     * a leaked one) stops verifying here within this time. 5 min is a third of an access token's
     * 15-minute life, for one JWKS fetch per 5 min per instance.
     */
    AUTH_JWKS_MAX_AGE_MS: envPositiveInt.default(300_000),
    JWT_ISSUER: z.string().min(1).default('playball-auth'),
    JWT_AUDIENCE: z.string().min(1).default('playball'),
    /** How long a request waits for the user view to catch up with the caller's token (guarantee 6). */
    CONSISTENCY_WAIT_MS: envPositiveInt.default(3_000),
    /**
     * While waiting, the view is also re-read this often, in case a NOTIFY was missed while the
     * listening connection reconnected. 500 ms: a missed wake-up costs at most that, and a waiting
     * request costs two primary-key reads a second.
     */
    CONSISTENCY_POLL_MS: envPositiveInt.default(500),
  });

export type GroupManagementConfig = z.output<typeof groupManagementConfigSchema>;

export const GROUP_MANAGEMENT_CONFIG = Symbol('GROUP_MANAGEMENT_CONFIG');

export function loadGroupManagementConfig(env: NodeJS.ProcessEnv = process.env): GroupManagementConfig {
  return parseEnv(groupManagementConfigSchema, env);
}
