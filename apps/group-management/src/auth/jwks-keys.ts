import { Inject, Injectable, Logger } from '@nestjs/common';
import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from '../config';

/**
 * auth's public keys, fetched from its JWKS endpoint and cached by `kid` as key objects: given a PEM
 * text, jsonwebtoken parses it again for every token it verifies (6 % of group-management's busy CPU
 * over the bench's http measures, V8 profile). They are fetched again when a token names an unknown
 * `kid` (auth rotated its key) or, in the background, when the cache is older than
 * AUTH_JWKS_MAX_AGE_MS; a fetch replaces the cache, so a key auth stopped publishing stops
 * verifying. Attempts are at most once per AUTH_JWKS_REFETCH_INTERVAL_MS (10 s), so that tokens with
 * made-up kids cannot turn this service into a load generator against auth.
 */
@Injectable()
export class JwksKeys {
  private readonly logger = new Logger(JwksKeys.name);
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private lastAttemptAt = 0;
  private inflight: Promise<void> | undefined;

  constructor(@Inject(GROUP_MANAGEMENT_CONFIG) private readonly config: GroupManagementConfig) {}

  async publicKey(kid: string): Promise<KeyObject | undefined> {
    const now = Date.now();
    const known = this.keys.has(kid);
    const stale = now - this.fetchedAt >= this.config.AUTH_JWKS_MAX_AGE_MS;
    if ((!known || stale) && now - this.lastAttemptAt >= this.config.AUTH_JWKS_REFETCH_INTERVAL_MS) {
      this.inflight ??= this.fetchKeys().finally(() => (this.inflight = undefined));
    }
    // An unknown kid waits for a fetch in flight, even one another request started (concurrent first
    // requests got 401 otherwise); a known one is answered from the cache while it runs, so a refresh
    // never adds auth's latency to requests.
    if (!known) await this.inflight;
    return this.keys.get(kid);
  }

  /** Resolves when no fetch is in flight (for tests). */
  async settled(): Promise<void> {
    await this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttemptAt = Date.now();
    try {
      const response = await fetch(this.config.AUTH_JWKS_URL, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { keys } = (await response.json()) as { keys: (JsonWebKey & { kid?: string; alg?: string })[] };
      const fetched = new Map<string, KeyObject>();
      for (const jwk of keys) {
        if (!jwk.kid || jwk.kty !== 'RSA') continue;
        fetched.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
      }
      this.keys = fetched;
      this.fetchedAt = Date.now();
    } catch (error) {
      // Keys already known keep verifying while auth is unreachable: availability over a revocation
      // that could not be learned anyway.
      this.logger.warn(`fetching ${this.config.AUTH_JWKS_URL} failed: ${(error as Error).message}`);
    }
  }
}
