import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createEvent, Topics, topicName } from '@playball/events';
import { parseApplied } from '@playball/inbox';
import { DataSource } from 'typeorm';
import { USER_VIEW_CHANNEL } from '../../../apps/group-management/src/users/user-view.service';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';
import { produceEvent, uniqueName, withAdmin } from '../../support/kafka';
import { runOps } from './support/ops-cli';
import { opsEnv } from './support/ops-env';

type User = Awaited<ReturnType<typeof signUp>>;

/**
 * `users rebuild` repairs a view that lost, garbled, invented or revived users, while auth keeps
 * changing users and the live consumer keeps applying them: afterwards the view equals auth's table.
 */
describe('ops users rebuild', () => {
  const prefix = uniquePrefix();
  const consumerGroup = uniqueName('group-management');
  let auth: RunningApp;
  let groups: RunningApp;
  let authDb: DataSource;
  let viewDb: DataSource;
  /** Hears the view's change notifications (read-your-writes waits on them). */
  let listener: Client | undefined;

  beforeAll(async () => {
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url, { KAFKA_CONSUMER_GROUP: consumerGroup });
    authDb = auth.app.get(DataSource);
    viewDb = groups.app.get(DataSource);
  }, 180_000);

  afterAll(async () => {
    await listener?.end();
    await groups?.close();
    await auth?.close();
  });

  const authUsers = () => authDb.query(`select id, display_name, version, credentials_version from users order by id`);
  const liveViewUsers = () =>
    viewDb.query(
      `select id, display_name, version, credentials_version from users where deleted_at is null order by id`,
    );
  const rename = (user: User, displayName: string) =>
    http('PATCH', `${auth.url}/users/me`, { token: user.token, body: { displayName } });
  const remove = (user: User) =>
    http('DELETE', `${auth.url}/users/me`, { token: user.token, body: { currentPassword: user.password } });

  /** Registers, renames and deletes users until stopped, as production would during a rebuild. */
  function workload() {
    let running = true;
    let changes = 0;
    const done = (async () => {
      for (let i = 0; running; i++) {
        const user = await signUp(auth.url, `Busy ${i}`);
        expect((await rename(user, `Busier ${i}`)).status).toBe(200);
        if (i % 3 === 0) expect((await remove(user)).status).toBe(204);
        changes++;
      }
    })();
    return {
      stop: async () => {
        running = false;
        await done;
        return changes;
      },
    };
  }

  it('reproduces auth’s users exactly while events keep arriving, and takes deleted users out of their groups', async () => {
    const users: User[] = [];
    for (let i = 0; i < 8; i++) users.push(await signUp(auth.url, `Player ${i}`));
    const [admin, lost, garbled, stale, revived] = users;
    expect((await rename(stale, 'Stale Renamed')).status).toBe(200);
    expect((await remove(revived)).status).toBe(204);
    await eventually(async () => expect(await liveViewUsers()).toEqual(await authUsers()), 30_000);
    const group = await http('POST', `${groups.url}/groups`, { token: admin.token, body: { name: 'Rebuilt' } });
    expect(group.status).toBe(201);

    // The damage: a lost row, a garbled name, a stale version, a deleted user revived, and a ghost
    // (a user auth never had) who even joined a group.
    const ghost = randomUUID();
    await viewDb.query(`delete from users where id = $1`, [lost.id]);
    await viewDb.query(`update users set display_name = 'Garbled' where id = $1`, [garbled.id]);
    await viewDb.query(`update users set display_name = 'Player 3', version = 1 where id = $1`, [stale.id]);
    await viewDb.query(`update users set deleted_at = null, display_name = 'Zombie' where id = $1`, [revived.id]);
    await viewDb.query(
      `insert into users (id, display_name, version, credentials_version) values ($1, 'Ghost', 1, 1)`,
      [ghost],
    );
    await viewDb.query(`insert into memberships (group_id, user_id, role) values ($1, $2, 'member')`, [
      group.body.id,
      ghost,
    ]);
    expect(await liveViewUsers()).not.toEqual(await authUsers());
    // Read-your-writes waits on the view's notifications: the switch-over tells of what it repaired.
    const told = new Set<string>();
    listener = new Client({ connectionString: groups.database.url });
    await listener.connect();
    listener.on('notification', ({ payload }) => told.add(parseApplied(payload)?.id ?? `unparsed ${payload}`));
    await listener.query(`listen ${USER_VIEW_CHANNEL}`);

    const busy = workload();
    const run = await runOps(['users', 'rebuild', '--json'], opsEnv(groups, prefix, consumerGroup));
    const changes = await busy.stop();

    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(changes).toBeGreaterThan(0);
    expect(run.json).toEqual({
      status: 'ok',
      topic: `${prefix}auth.user.v1`,
      consumerGroup: expect.stringMatching(new RegExp(`^${consumerGroup}-rebuild-`)),
      records: expect.any(Number),
      skipped: 0,
      rebuilt: { live: expect.any(Number), deleted: expect.any(Number) },
      switched: {
        inserted: expect.any(Number),
        updated: expect.any(Number),
        deleted: expect.any(Number),
        membersRemoved: 1,
      },
      durationMs: expect.any(Number),
    });
    // lost; garbled and stale; revived and ghost (anything more was the live consumer's, not yet applied).
    expect(run.json.switched.inserted).toBeGreaterThanOrEqual(1);
    expect(run.json.switched.updated).toBeGreaterThanOrEqual(2);
    expect(run.json.switched.deleted).toBeGreaterThanOrEqual(2);
    // Delivered after the commit, so after the run may have ended.
    await eventually(() => {
      for (const repaired of [lost.id, garbled.id, stale.id, revived.id, ghost]) expect(told).toContain(repaired);
    });
    expect([...told].filter((id) => id.startsWith('unparsed'))).toEqual([]);
    // Progress went to stderr as JSON lines, stdout kept the result alone.
    expect(run.stderr).toMatch(/^\{"progress":\{"phase":"rebuild","read":\d+,"total":\d+,"percent":100\}\}$/m);

    await eventually(async () => expect(await liveViewUsers()).toEqual(await authUsers()), 60_000);
    expect(await viewDb.query(`select deleted_at is not null as deleted from users where id = $1`, [ghost])).toEqual([
      { deleted: true },
    ]);
    expect(
      await viewDb.query(
        `select count(*)::int as n from memberships m join users u on u.id = m.user_id where u.deleted_at is not null`,
      ),
    ).toEqual([{ n: 0 }]);
    const events = (await viewDb.query(`select type, payload from outbox where key = $1 order by id`, [
      group.body.id,
    ])) as { type: string; payload: { userId?: string } }[];
    expect(events.at(-1)).toMatchObject({ type: 'playball.group.member-removed.v1', payload: { userId: ghost } });
    // The rebuild's consumer group is gone from the broker.
    const listed = await withAdmin((kafkaAdmin) => kafkaAdmin.listGroups());
    expect(listed.groups.map((g) => g.groupId)).not.toContain(run.json.consumerGroup);
  }, 600_000);

  it('keeps a credentials version that an auth of before the field would lower', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const patched = await http('PATCH', `${auth.url}/users/me`, {
      token: ada.token,
      body: { password: 'a brand new password', currentPassword: ada.password },
    });
    expect(patched.status).toBe(200);
    const changed = patched.body.version as number;
    // Mid-rollout, an instance still on the old auth renames Ada: its event has no credentialsVersion.
    await produceEvent(
      topicName(Topics.user.name, prefix),
      createEvent('playball.user.updated.v1', { userId: ada.id, displayName: 'Ada (old auth)', version: changed + 1 }),
    );
    const row = () => viewDb.query(`select version, credentials_version from users where id = $1`, [ada.id]);
    const expected = [{ version: changed + 1, credentials_version: changed }];
    await eventually(async () => expect(await row()).toEqual(expected));

    const run = await runOps(['users', 'rebuild', '--json'], opsEnv(groups, prefix, consumerGroup));

    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await row()).toEqual(expected);
    // Nothing else was damaged, so nothing else changed (each count exact: tombstones were once counted as 2).
    expect(run.json.switched).toEqual({ inserted: 0, updated: 0, deleted: 0, membersRemoved: 0 });
  }, 600_000);
});
