import { z } from 'zod';
import { inboxEnv } from '@playball/inbox';
import { outboxEnv } from '@playball/outbox';
import { envFlag, envPositiveInt, parseEnv, serviceEnv } from '@playball/platform/config';
import { trustProxyEnv } from '@playball/platform/http';

export const groupManagementConfigSchema = serviceEnv({
  port: 3002,
  database: 'playball_group_management',
  clientId: 'group-management',
})
  .extend(outboxEnv.shape)
  .extend(trustProxyEnv.shape)
  .extend(inboxEnv.shape)
  .extend({
    KAFKA_CONSUMER_GROUP: z.string().min(1).default('group-management'),
    /** https, except on loopback or with AUTH_JWKS_ALLOW_HTTP: whoever alters this answer mints tokens. */
    AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
    /**
     * Allows a plain-http AUTH_JWKS_URL to a host other than loopback: only for a private network that
     * nobody else can reach (docker-compose.yml's), never across machines.
     */
    AUTH_JWKS_ALLOW_HTTP: envFlag.default(false),
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
    /**
     * Requests per client address per WRITE_THROTTLE_TTL_MS on each route that changes groups. 300 a
     * minute leaves room for an office behind one NAT address.
     */
    WRITE_THROTTLE_LIMIT: envPositiveInt.default(300),
    /** Requests per caller per WRITE_THROTTLE_TTL_MS on each of those routes: 2 a second, sustained. */
    WRITE_THROTTLE_ACCOUNT_LIMIT: envPositiveInt.default(120),
    WRITE_THROTTLE_TTL_MS: envPositiveInt.default(60_000),
  })
  .superRefine((env, context) => {
    const url = new URL(env.AUTH_JWKS_URL);
    if (url.protocol === 'http:' && !isLoopback(url.hostname) && !env.AUTH_JWKS_ALLOW_HTTP) {
      context.addIssue({
        code: 'custom',
        path: ['AUTH_JWKS_URL'],
        message: 'must be https unless it names a loopback host (or AUTH_JWKS_ALLOW_HTTP=true on a private network)',
      });
    }
  });

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export type GroupManagementConfig = z.output<typeof groupManagementConfigSchema>;

export const GROUP_MANAGEMENT_CONFIG = Symbol('GROUP_MANAGEMENT_CONFIG');

export function loadGroupManagementConfig(env: NodeJS.ProcessEnv = process.env): GroupManagementConfig {
  return parseEnv(groupManagementConfigSchema, env);
}
