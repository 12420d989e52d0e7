import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { envFlag } from './env-values';

/**
 * How a service authenticates to the broker and protects the connection. Off by default, so that
 * `npm start` and the tests talk to the plain local broker; a shared broker sets SCRAM (one
 * principal per service, which the broker's ACLs name) and TLS.
 */
export const kafkaSecurityEnv = z.object({
  KAFKA_SASL_MECHANISM: z.enum(['none', 'scram-sha-512']).default('none'),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  /** Never logged: parseEnv names a bad variable, never its value. */
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SSL: envFlag.default(false),
  /** PEM file of the CA that signed the brokers' certificates; the system's CAs when unset. */
  KAFKA_SSL_CA_FILE: z.string().min(1).refine(readable, 'names no readable file').optional(),
});

export type KafkaSecurityEnv = z.output<typeof kafkaSecurityEnv>;

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The settings that only make sense together. A username without a mechanism would otherwise
 * connect unauthenticated without a word, and a CA file without TLS would be ignored.
 */
export function checkKafkaSecurity(env: KafkaSecurityEnv, ctx: z.RefinementCtx): void {
  const scram = env.KAFKA_SASL_MECHANISM === 'scram-sha-512';
  for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
    if (scram && env[name] === undefined) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'required when KAFKA_SASL_MECHANISM=scram-sha-512' });
    }
    if (!scram && env[name] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'set KAFKA_SASL_MECHANISM=scram-sha-512 to use it' });
    }
  }
  if (env.KAFKA_SSL_CA_FILE !== undefined && !env.KAFKA_SSL) {
    ctx.addIssue({ code: 'custom', path: ['KAFKA_SSL_CA_FILE'], message: 'set KAFKA_SSL=true to use it' });
  }
}
