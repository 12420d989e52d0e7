import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { z } from 'zod';

import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from '../config';
import { UserViewWaiter } from './user-view.waiter';
import { AuthenticatedUser } from './authenticated-user';
import { JwksKeys } from './jwks-keys';
import { GroupManagementError } from '../errors';

const claims = z.object({ sub: z.uuid(), uv: z.number().int().positive() });

/** Tolerated clock difference between auth (which sets iat/exp) and this service; as auth's own. */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Verifies auth's access tokens: RS256 only (so `alg: none` and HMAC tricks fail), key by `kid`
 * from auth's JWKS, issuer, audience and expiry checked. Then waits, bounded, until the user view
 * has caught up with the version the token was issued at (read-your-writes across services).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(GROUP_MANAGEMENT_CONFIG) config: GroupManagementConfig,
    keys: JwksKeys,
    private readonly waiter: UserViewWaiter,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['RS256'],
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
      // A key object, which jsonwebtoken uses as it is (verify.js); passport-jwt's types predate it.
      secretOrKeyProvider: (_request: unknown, rawJwt: string, done: (error: unknown, key?: string) => void) => {
        const kid = keyIdOf(rawJwt);
        if (!kid) return done(new GroupManagementError('AUTH.UNAUTHENTICATED', 'The token names no key.'));
        keys
          .publicKey(kid)
          .then(
            (key) =>
              key
                ? done(null, key as unknown as string)
                : done(new GroupManagementError('AUTH.UNAUTHENTICATED', 'The token was signed by an unknown key.')),
            done,
          );
      },
    });
  }

  async validate(payload: unknown): Promise<AuthenticatedUser> {
    const parsed = claims.safeParse(payload);
    if (!parsed.success)
      throw new GroupManagementError('AUTH.UNAUTHENTICATED', 'The token lacks a user id or user version.');
    return this.waiter.awaitUser(parsed.data.sub.toLowerCase(), parsed.data.uv);
  }
}

function keyIdOf(rawJwt: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(rawJwt.split('.')[0], 'base64url').toString()) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
