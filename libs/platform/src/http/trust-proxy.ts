import { INestApplication } from '@nestjs/common';
import { isIP } from 'node:net';
import { z } from 'zod';

/** Express's names for address ranges (proxy-addr). */
const namedRanges = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Which proxies in front of the app may say who the client is (X-Forwarded-For), as Express's
 * `trust proxy`: `false` (none: the peer address is the client), a hop count, or the proxies'
 * addresses, subnets or named ranges. `true` is refused: it trusts every hop, so any client could
 * claim any address and escape its rate limit.
 */
export const trustProxyEnv = z.object({
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, context): false | number | string[] => {
      if (value === 'false') return false;
      if (/^[1-9]\d*$/.test(value)) return Number(value);
      const entries = value.split(',').map((entry) => entry.trim());
      const bad = entries.filter((entry) => !isTrustedProxy(entry));
      if (bad.length === 0) return entries;
      context.addIssue({
        code: 'custom',
        message:
          value === 'true'
            ? 'true would trust every hop (any client could claim any address): give a hop count or the proxies’ addresses'
            : `false, a hop count, or a comma-separated list of addresses, subnets (a.b.c.d/n) or ${namedRanges.join('/')}; not: ${bad.join(', ')}`,
      });
      return z.NEVER;
    }),
});

export type TrustProxy = z.output<typeof trustProxyEnv>['TRUST_PROXY'];

function isTrustedProxy(entry: string): boolean {
  if (namedRanges.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Sets Express's `trust proxy`, so that `request.ip` (and the rate limits) name the real client. */
export function applyTrustProxy(app: INestApplication, trustProxy: TrustProxy): void {
  app.getHttpAdapter().getInstance().set('trust proxy', trustProxy);
}
