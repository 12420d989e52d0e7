import { z } from 'zod';
import { outboxEnv } from '@playball/outbox';
import { envPositiveInt, parseEnv, serviceEnv } from '@playball/platform/config';

export const authConfigSchema = serviceEnv({ port: 3001, database: 'playball_auth', clientId: 'auth' })
  .extend(outboxEnv.shape)
  .extend({
    JWT_ISSUER: z.string().min(1).default('playball-auth'),
    JWT_AUDIENCE: z.string().min(1).default('playball'),
    JWT_TTL_SECONDS: envPositiveInt.default(15 * 60),
    /**
     * PEM-encoded RSA private key (PKCS#8 or PKCS#1) that signs access tokens; `\n` escapes are accepted.
     * Unset in development: a key pair is generated under JWT_KEYS_DIR. Parsed (and checked) by the key
     * loader, which never echoes it: a private key must never reach a log.
     */
    JWT_PRIVATE_KEY: z.string().optional(),
    /**
     * PEM public keys of retired signing keys, concatenated. They stay in the JWKS (and keep verifying)
     * until the tokens they signed have expired, so rotating the key logs nobody out.
     */
    JWT_PREVIOUS_PUBLIC_KEYS: z.string().optional(),
    JWT_KEYS_DIR: z.string().min(1).default('.infra/keys'),
    /**
     * argon2id cost. The default (64 MiB, 3 passes) takes ~220 ms per hash on a 2-core machine here;
     * OWASP's minimum (19 MiB, 2 passes) takes ~57 ms and is what the load and chaos suites use.
     */
    PASSWORD_HASH_MEMORY_KIB: envPositiveInt.min(19_456).default(65_536),
    PASSWORD_HASH_PASSES: envPositiveInt.min(2).default(3),
    /** Requests per client per AUTH_THROTTLE_TTL_MS on each of /auth/register and /auth/login. */
    AUTH_THROTTLE_LIMIT: envPositiveInt.default(20),
    AUTH_THROTTLE_TTL_MS: envPositiveInt.default(60_000),
  });

export type AuthConfig = z.output<typeof authConfigSchema>;

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return parseEnv(authConfigSchema, env);
}
