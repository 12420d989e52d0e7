import { z } from 'zod';
import { outboxEnv } from '@playball/outbox';
import { cpuBudget, envNonNegativeInt, envPositiveInt, parseEnv, serviceEnv } from '@playball/platform/config';
import { trustProxyEnv } from '@playball/platform/http';

export const authConfigSchema = serviceEnv({
  port: 3001,
  metricsPort: 9464,
  database: 'playball_auth',
  clientId: 'auth',
})
  .extend(outboxEnv.shape)
  .extend(trustProxyEnv.shape)
  .extend({
    JWT_ISSUER: z.string().min(1).default('playball-auth'),
    JWT_AUDIENCE: z.string().min(1).default('playball'),
    JWT_TTL_SECONDS: envPositiveInt.default(15 * 60),
    /** `production` makes JWT_PRIVATE_KEY mandatory; any other value allows the development key. */
    NODE_ENV: z.string().default('development'),
    /**
     * PEM-encoded RSA private key (PKCS#8 or PKCS#1) that signs access tokens; `\n` escapes are accepted.
     * Every instance must be given the same one. Unset outside production: a development key pair is
     * generated under JWT_KEYS_DIR. Parsed (and checked) by the key loader, which never echoes it: a
     * private key must never reach a log.
     */
    JWT_PRIVATE_KEY: z.string().optional(),
    /**
     * PEM public keys that verify tokens besides the signing key, concatenated: the retired key until
     * the tokens it signed have expired, and, during a rolling rotation, the next one. All are served
     * in the JWKS, so rotating the key logs nobody out (docs/deployment.md, "Rotating the signing key").
     */
    JWT_VERIFICATION_KEYS: z.string().optional(),
    JWT_KEYS_DIR: z.string().min(1).default('.infra/keys'),
    /**
     * argon2id cost. The default (64 MiB, 3 passes) takes ~220 ms per hash on a 2-core machine here;
     * OWASP's minimum (19 MiB, 2 passes) takes ~57 ms and is what the load and chaos suites use.
     */
    PASSWORD_HASH_MEMORY_KIB: envPositiveInt.min(19_456).default(65_536),
    PASSWORD_HASH_PASSES: envPositiveInt.min(2).default(3),
    /**
     * Password hashes and checks computed at once; each holds PASSWORD_HASH_MEMORY_KIB and one of
     * libuv's 4 threads, and runs its 4 lanes on threads of its own. Here one hash took 150 ms (218 ms
     * of CPU); four at once took 455 ms, a third more hashes per second for four times the memory
     * (256 MiB) and all of libuv's threads. So by default one per 4 cores (the container's CPU quota
     * counted, cpuBudget), and at least one.
     */
    PASSWORD_HASH_CONCURRENCY: envPositiveInt.default(Math.max(1, Math.floor(cpuBudget() / 4))),
    /**
     * Hashes and checks that may wait for one of those; past them a request is refused at once with
     * 503 AUTH.BUSY and Retry-After, rather than waiting longer than its client would (32 × ~150 ms
     * is about 5 s). Throttling bounds each client and account; this bounds all of them together.
     */
    PASSWORD_HASH_QUEUE: envNonNegativeInt.default(32),
    /**
     * Requests per client address per AUTH_THROTTLE_TTL_MS on each of the routes that take or check
     * a password: /auth/register, /auth/login, PATCH and DELETE /users/me.
     */
    AUTH_THROTTLE_LIMIT: envPositiveInt.default(20),
    /**
     * Requests per account (a login's email, or the caller) per AUTH_THROTTLE_TTL_MS on each of those
     * routes: 10 guesses a minute per account, whatever the number of addresses they come from.
     */
    AUTH_THROTTLE_ACCOUNT_LIMIT: envPositiveInt.default(10),
    AUTH_THROTTLE_TTL_MS: envPositiveInt.default(60_000),
  })
  .superRefine((env, context) => {
    // A generated key differs per machine and container: instances would refuse each other's tokens.
    if (env.NODE_ENV === 'production' && !env.JWT_PRIVATE_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['JWT_PRIVATE_KEY'],
        message: 'required when NODE_ENV=production: every instance must sign with the same configured key',
      });
    }
  });

export type AuthConfig = z.output<typeof authConfigSchema>;

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return parseEnv(authConfigSchema, env);
}
