import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

import { AUTH_CONFIG, AuthConfig } from '../config';
import { JWT_ALGORITHM, SIGNING_KEYS, SigningKeys } from './signing-keys';
import { AuthError } from '../errors';
import { TokenClaims } from './token-claims';
import { VerifiedTokens } from './verified-tokens';

const claimsSchema = z.object({ sub: z.uuid(), uv: z.number().int().positive() });

/** Tolerated clock difference between the instances that issue and verify tokens. */
const CLOCK_TOLERANCE_SECONDS = 5;

@Injectable()
export class TokenService {
  private readonly keySet;
  private readonly verified = new VerifiedTokens();

  constructor(
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeys,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {
    this.keySet = createLocalJWKSet(keys.jwks);
  }

  get ttlSeconds(): number {
    return this.config.JWT_TTL_SECONDS;
  }

  issue(user: { id: string; version: number }): Promise<string> {
    return new SignJWT({ uv: user.version })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: this.keys.kid, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.config.JWT_ISSUER)
      .setAudience(this.config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.config.JWT_TTL_SECONDS}s`)
      .sign(this.keys.privateKey);
  }

  /**
   * The token's claims; AUTH.UNAUTHENTICATED for anything this service did not issue or that has
   * expired. A token verified before answers from memory until its expiry (with the same clock
   * tolerance): the keys it was checked against do not change while the process runs.
   */
  async verify(token: string): Promise<TokenClaims> {
    const kept = this.verified.get(token);
    if (kept) return kept;
    const { claims, expiresAt } = await this.verifySignedToken(token);
    this.verified.keep(token, claims, (expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000);
    return claims;
  }

  private async verifySignedToken(token: string): Promise<{ claims: TokenClaims; expiresAt: number }> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        algorithms: [JWT_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      const claims = claimsSchema.parse(payload);
      return { claims: { userId: claims.sub, userVersion: claims.uv }, expiresAt: payload.exp! };
    } catch {
      // Why a token failed (expired, forged, wrong audience) helps an attacker more than a client.
      throw new AuthError('AUTH.UNAUTHENTICATED', 'A valid bearer token is required.');
    }
  }
}
