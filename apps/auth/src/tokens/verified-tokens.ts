import { TokenClaims } from './token-claims';

/**
 * Tokens this instance verified, kept until they expire so a client's next requests skip RS256
 * (6.6 % of auth's CPU under PATCH /users/me). A client presents one token for its whole TTL, so
 * 10,000 kept tokens (about 6 MB) cover 10,000 active clients; when full, the oldest goes first.
 * Keyed by the token's exact text: only a token that verified can be found here.
 */
export class VerifiedTokens {
  private readonly kept = new Map<string, { claims: TokenClaims; validUntilMs: number }>();

  constructor(private readonly capacity = 10_000) {}

  /** The claims of a token verified before and valid at `nowMs`; a token past its time is dropped. */
  get(token: string, nowMs = Date.now()): TokenClaims | undefined {
    const entry = this.kept.get(token);
    if (entry && nowMs < entry.validUntilMs) return entry.claims;
    this.kept.delete(token);
    return undefined;
  }

  keep(token: string, claims: TokenClaims, validUntilMs: number): void {
    if (this.kept.size >= this.capacity) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(token, { claims, validUntilMs });
  }

  get size(): number {
    return this.kept.size;
  }
}
