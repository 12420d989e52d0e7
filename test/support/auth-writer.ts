import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { defaultPoolSettings } from '@playball/platform/database';
import { authDataSourceOptions } from '../../apps/auth/src/database/data-source';
import { lockUser, lockUsers } from '../../apps/auth/src/users/lock-user';
import { User } from '../../apps/auth/src/users/user.entity';

/** A user row needs a hash; nobody logs in as these users, so no argon2 is spent on them. */
const NO_LOGIN_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bm8tbG9naW4$bm8tbG9naW4tYmVuY2gtdXNlcg';

/**
 * Writes to auth's database the way auth does (entities saved in transactions, the outbox
 * subscriber capturing the events), without auth's HTTP layer.
 */
export class AuthWriter {
  private constructor(private readonly db: DataSource) {}

  static async open(databaseUrl: string, connections: number): Promise<AuthWriter> {
    const options = authDataSourceOptions(databaseUrl, { ...defaultPoolSettings, DATABASE_POOL_SIZE: connections });
    return new AuthWriter(await new DataSource({ ...options, migrationsRun: false }).initialize());
  }

  /** Registers `count` users (one `registered` event each); returns their ids. */
  async createUsers(count: number): Promise<string[]> {
    const users = Array.from({ length: count }, (_, i) =>
      Object.assign(new User(), {
        id: uuidv7(),
        email: `bench-${uuidv7()}@example.com`,
        displayName: `Bench ${i}`,
        passwordHash: NO_LOGIN_HASH,
        version: 1,
        credentialsVersion: 1,
      }),
    );
    await this.db.transaction((manager) => manager.save(users, { chunk: 100 }));
    return users.map((u) => u.id);
  }

  /** What PATCH /users/me does for a new display name; resolves at commit with the new version. */
  async rename(userId: string, displayName: string): Promise<number> {
    return await this.db.transaction(async (manager) => {
      const user = await lockUser(manager, userId);
      user.displayName = displayName;
      user.version += 1;
      await manager.save(user);
      return user.version;
    });
  }

  /**
   * Several renames committed in one transaction, as a batch job would: the users locked together
   * (in id order, so two batches never wait on each other in a cycle), each renamed as PATCH does,
   * all saved together, one event each. Resolves at commit with the new versions, in the order given.
   */
  async renameAll(renames: { userId: string; displayName: string }[]): Promise<number[]> {
    const byId = new Map(renames.map((r) => [r.userId, r.displayName]));
    if (byId.size !== renames.length) throw new Error('renameAll renames each user once');
    return await this.db.transaction(async (manager) => {
      const users = await lockUsers(manager, [...byId.keys()]);
      for (const user of users) {
        user.displayName = byId.get(user.id)!;
        user.version += 1;
      }
      await manager.save(users);
      const versions = new Map(users.map((u) => [u.id, u.version]));
      return renames.map((r) => versions.get(r.userId)!);
    });
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
