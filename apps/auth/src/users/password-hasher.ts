import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes: above OWASP's minimum of
 * 19 MiB / 2 passes). The parameters live in each hash, so raising them later needs no migration.
 */
@Injectable()
export class PasswordHasher {
  /** Verified against when there is no account, so an unknown email costs as much as a wrong password. */
  private readonly dummyHash = argon2.hash(randomBytes(32).toString('hex'), { type: argon2.argon2id });

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      // A stored hash argon2 cannot read verifies nothing.
      return false;
    }
  }

  /** Spends the time of one verification and answers false. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
