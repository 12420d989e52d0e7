import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { AUTH_CONFIG, AuthConfig } from '../config';
import { AuthError } from '../errors';
import { Lanes, LanesFull } from './lanes';

/**
 * argon2id, by default with the library's cost (64 MiB, 3 passes, 4 lanes: above OWASP's minimum
 * of 19 MiB / 2 passes); see PASSWORD_HASH_*. The parameters live in each hash, so changing them
 * needs no migration: old hashes keep verifying.
 *
 * Hashes and checks share PASSWORD_HASH_CONCURRENCY lanes: a burst of logins otherwise holds 64 MiB
 * each at once (auth's peak memory) and every libuv thread, which DNS lookups and file reads share.
 */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.HashOptions & { raw?: false };
  private readonly lanes: Lanes;
  /** Verified against when there is no account, so an unknown email costs as much as a wrong password. */
  private readonly dummyHash: Promise<string>;

  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: config.PASSWORD_HASH_MEMORY_KIB,
      timeCost: config.PASSWORD_HASH_PASSES,
    };
    this.lanes = new Lanes(config.PASSWORD_HASH_CONCURRENCY, config.PASSWORD_HASH_QUEUE);
    this.dummyHash = this.inLane(() => argon2.hash(randomBytes(32).toString('hex'), this.options));
  }

  hash(password: string): Promise<string> {
    return this.inLane(() => argon2.hash(password, this.options));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.inLane(() => argon2.verify(hash, password));
    } catch (error) {
      if (error instanceof AuthError) throw error;
      // A stored hash argon2 cannot read verifies nothing.
      return false;
    }
  }

  /** Spends the time of one verification and answers false. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }

  private async inLane<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.lanes.run(work);
    } catch (error) {
      if (!(error instanceof LanesFull)) throw error;
      throw new AuthError('AUTH.BUSY', 'Too many password checks are waiting; try again in a moment.', {
        retryAfter: 1,
      });
    }
  }
}
