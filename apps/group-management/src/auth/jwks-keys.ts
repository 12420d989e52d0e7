import { Inject, Injectable, Logger } from '@nestjs/common';
import { createPublicKey, JsonWebKey } from 'node:crypto';
import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from '../config';

/**
 * auth's public keys, fetched from its JWKS endpoint and cached by `kid`. An unknown `kid` (auth
 * rotated its key) triggers a refetch, at most once per AUTH_JWKS_REFETCH_INTERVAL_MS (10 s) so
 * that tokens with made-up kids cannot turn this service into a load generator against auth. A
 * refetch replaces the cache: a key auth stopped publishing stops verifying.
 */
@Injectable()
export class JwksKeys {
  private readonly logger = new Logger(JwksKeys.name);
  private keys = new Map<string, string>();
  private lastFetchAt = 0;
  private inflight: Promise<void> | undefined;

  constructor(@Inject(GROUP_MANAGEMENT_CONFIG) private readonly config: GroupManagementConfig) {}

  async publicKeyPem(kid: string): Promise<string | undefined> {
    if (!this.keys.has(kid) && Date.now() - this.lastFetchAt >= this.config.AUTH_JWKS_REFETCH_INTERVAL_MS) {
      this.inflight ??= this.fetchKeys().finally(() => (this.inflight = undefined));
      await this.inflight;
    }
    return this.keys.get(kid);
  }

  private async fetchKeys(): Promise<void> {
    this.lastFetchAt = Date.now();
    try {
      const response = await fetch(this.config.AUTH_JWKS_URL, { signal: AbortSignal.timeout(3_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { keys } = (await response.json()) as { keys: (JsonWebKey & { kid?: string; alg?: string })[] };
      const fetched = new Map<string, string>();
      for (const jwk of keys) {
        if (!jwk.kid || jwk.kty !== 'RSA') continue;
        fetched.set(
          jwk.kid,
          createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString(),
        );
      }
      this.keys = fetched;
    } catch (error) {
      // Tokens signed with keys already known keep working while auth is unreachable.
      this.logger.warn(`fetching ${this.config.AUTH_JWKS_URL} failed: ${(error as Error).message}`);
    }
  }
}
