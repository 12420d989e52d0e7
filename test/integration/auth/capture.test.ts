import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Topics } from '@playball/events';
import { authDataSourceOptions } from '../../../apps/auth/src/database/data-source';
import { lockUser, lockUsers } from '../../../apps/auth/src/users/lock-user';
import { AuthError } from '../../../apps/auth/src/errors';
import { User } from '../../../apps/auth/src/users/user.entity';
import { createTestDatabase, TestDatabase } from '../../support/databases';
import { capturedFor } from '../../support/outbox-rows';
import { StatementLog } from '../../support/statement-log';

/** User changes reach the outbox through the subscriber and user.outbox-mapper.ts, in their transaction. */
describe('capture of auth entities', () => {
  let database: TestDatabase;
  let db: DataSource;
  const log = new StatementLog();

  beforeAll(async () => {
    database = await createTestDatabase('auth');
    db = await new DataSource({ ...authDataSourceOptions(database.url), logging: ['query'], logger: log }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const captured = (userId: string) => capturedFor(db.manager, userId);

  async function register(displayName = 'Ada'): Promise<string> {
    const id = uuidv7();
    const user = Object.assign(new User(), {
      id,
      email: `${id}@example.com`,
      displayName,
      passwordHash: 'x',
      version: 1,
      credentialsVersion: 1,
    });
    await db.transaction((manager) => manager.save(user));
    return id;
  }

  /** The statements sent since `from`, each by its first two words ("UPDATE \"USERS\"", "WITH ADDED"). */
  const statementsSince = (from: number) =>
    log.since(from).map((s) => s.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase());

  function change(userId: string, apply: (user: User) => void): Promise<User> {
    return db.transaction(async (manager) => {
      const user = await lockUser(manager, userId);
      apply(user);
      return manager.save(user);
    });
  }

  it("renames in six statements: the lock, save()'s own read, the update, the outbox insert, in one transaction", async () => {
    const userId = await register('Ada');
    const from = log.statements.length;
    await change(userId, (user) => {
      user.displayName = 'Grace';
      user.version += 1;
    });

    expect(statementsSince(from)).toEqual([
      'START TRANSACTION',
      'SELECT "USER"."ID"',
      'SELECT "USER"."ID"',
      'UPDATE "USERS"',
      'WITH ADDED',
      'COMMIT',
    ]);
    await expect(captured(userId)).resolves.toContainEqual(
      expect.objectContaining({
        type: 'playball.user.updated.v1',
        data: expect.objectContaining({ displayName: 'Grace', version: 2 }),
      }),
    );
  });

  it('renames a batch of users in one lock, one read, an update each and one outbox insert', async () => {
    const ids = [await register('A'), await register('B'), await register('C')];
    const from = log.statements.length;
    await db.transaction(async (manager) => {
      const users = await lockUsers(manager, ids);
      for (const user of users) {
        user.displayName = `${user.displayName} renamed`;
        user.version += 1;
      }
      await manager.save(users);
    });

    expect(statementsSince(from)).toEqual([
      'START TRANSACTION',
      'SELECT "USER"."ID"',
      'SELECT "USER"."ID"',
      'UPDATE "USERS"',
      'UPDATE "USERS"',
      'UPDATE "USERS"',
      'WITH ADDED',
      'COMMIT',
    ]);
    for (const [i, userId] of ids.entries())
      await expect(captured(userId)).resolves.toContainEqual({
        type: 'playball.user.updated.v1',
        data: { userId, displayName: `${'ABC'[i]} renamed`, version: 2, credentialsVersion: 1 },
      });
  });

  it('refuses a batch when one of its users no longer exists, as a lone change would be refused', async () => {
    const ids = [await register('A'), uuidv7()];
    const batch = db.transaction((manager) => lockUsers(manager, ids));
    await expect(batch).rejects.toBeInstanceOf(AuthError);
    await expect(batch).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
  });

  it('publishes registered, updated for each version bump (not for an unversioned change), then deleted and a tombstone', async () => {
    const userId = await register('Ada');
    await change(userId, (u) => {
      u.email = `new-${userId}@example.com`;
      u.version += 1;
      u.credentialsVersion = u.version;
    });
    // A change nobody else hears of (a password hash upgraded on login) keeps the version: no event.
    await change(userId, (u) => {
      u.passwordHash = 'rehashed';
    });
    await change(userId, (u) => {
      u.displayName = 'Ada L.';
      u.version += 1;
    });
    await db.transaction(async (manager) => manager.remove(await lockUser(manager, userId)));

    await expect(captured(userId)).resolves.toEqual([
      { type: 'playball.user.registered.v1', data: { userId, displayName: 'Ada', version: 1, credentialsVersion: 1 } },
      { type: 'playball.user.updated.v1', data: { userId, displayName: 'Ada', version: 2, credentialsVersion: 2 } },
      { type: 'playball.user.updated.v1', data: { userId, displayName: 'Ada L.', version: 3, credentialsVersion: 2 } },
      { type: 'playball.user.deleted.v1', data: { userId, version: 4 } },
      { type: 'kafka.tombstone', data: null },
    ]);
    const [tombstone] = (await db.query(`select topic from outbox where key = $1 and payload is null`, [userId])) as {
      topic: string;
    }[];
    expect(tombstone.topic).toBe(Topics.user.name);
  });

  it('captures nothing for a change whose transaction rolls back', async () => {
    const userId = await register('Ada');
    const failing = db.transaction(async (manager) => {
      const user = await lockUser(manager, userId);
      user.displayName = 'Never';
      user.version += 1;
      await manager.save(user);
      await expect(capturedFor(manager, userId)).resolves.toHaveLength(2);
      throw new Error('a later step of the use case failed');
    });
    await expect(failing).rejects.toThrow('a later step of the use case failed');
    await expect(captured(userId)).resolves.toEqual([
      { type: 'playball.user.registered.v1', data: { userId, displayName: 'Ada', version: 1, credentialsVersion: 1 } },
    ]);
  });
});
