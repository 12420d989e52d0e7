import { Client } from 'pg';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';

jest.setTimeout(300_000);

/** Memberships of the user deleted here: far more than one batch of BATCH_SIZE. */
const MEMBERSHIPS = 5_000;
const BATCH_SIZE = 100;

describe('deleting a user who belongs to thousands of groups', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let db: Client;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    // One partition: every user's events queue behind the deletion on it.
    auth = await startAuth(prefix, { KAFKA_TOPIC_PARTITIONS: '1' });
    groups = await startGroupManagement(prefix, auth.url, {
      KAFKA_TOPIC_PARTITIONS: '1',
      USER_DELETION_BATCH_SIZE: String(BATCH_SIZE),
    });
    db = new Client({ connectionString: groups.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await groups?.close();
    await auth?.close();
  });

  const count = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0].n as number;
  const membershipsOf = (userId: string) =>
    count('select count(*)::int as n from memberships where user_id = $1', [userId]);
  const gaugeOf = async (name: string) => {
    const metrics = await (await fetch(groups.metricsUrl)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? 'NaN');
  };

  it('applies other users’ events at once, removes the memberships in batches, and ends right', async () => {
    const dora = await signUp(auth.url, 'Dora');
    const eve = await signUp(auth.url, 'Eve');
    // Dora admin and Eve member of one group made through the API; Eve is promoted when Dora goes.
    const shared = await eventually(async () => {
      const created = await http('POST', `${groups.url}/groups`, { token: dora.token, body: { name: 'Shared' } });
      expect(created.status).toBe(201);
      return created.body.id as string;
    });
    await eventually(async () => {
      const added = await http('POST', `${groups.url}/groups/${shared}/members`, {
        token: dora.token,
        body: { userId: eve.id },
      });
      expect(added.status).toBe(201);
    });
    // The other groups straight into the database: 4,999 through the API would take minutes here.
    await db.query(
      `with made as (
         insert into groups (id, name, version) select gen_random_uuid(), 'Solo ' || n, 2 from generate_series(2, $1) as n
         returning id)
       insert into memberships (group_id, user_id, role) select id, $2, 'admin' from made`,
      [MEMBERSHIPS, dora.id],
    );
    expect(await membershipsOf(dora.id)).toBe(MEMBERSHIPS);

    const deleted = await http('DELETE', `${auth.url}/users/me`, {
      token: dora.token,
      body: { currentPassword: dora.password },
    });
    expect(deleted.status).toBe(204);
    const renamed = await http('PATCH', `${auth.url}/users/me`, { token: eve.token, body: { displayName: 'Eve 2' } });
    expect(renamed.status).toBe(200);

    // Eve's rename is behind Dora's deletion on the one partition; it is applied while most of
    // Dora's memberships are still there, so it did not wait for them all to go.
    const left = await eventually(async () => {
      const [view, remaining] = await Promise.all([
        db.query('select display_name from users where id = $1', [eve.id]),
        membershipsOf(dora.id),
      ]);
      expect(view.rows[0]?.display_name).toBe('Eve 2');
      return remaining;
    }, 60_000);
    expect(left).toBeGreaterThan(BATCH_SIZE);

    // Bounded batches: while the clean-up runs, the memberships go down in steps of at most a
    // batch per commit (watched from outside; a count between two commits never sees a bigger step).
    const seen = [left];
    await eventually(
      async () => {
        const now = await membershipsOf(dora.id);
        if (now !== seen[seen.length - 1]) seen.push(now);
        expect(now).toBe(0);
      },
      240_000,
      20,
    );
    expect(seen.length).toBeGreaterThan(2);

    expect(await count('select count(*)::int as n from groups where name like $1', ['Solo %'])).toBe(0);
    expect(await count('select count(*)::int as n from membership_cleanups', [])).toBe(0);
    const seenByEve = await http('GET', `${groups.url}/groups/${shared}`, { token: eve.token });
    expect(seenByEve.body.members).toEqual([{ userId: eve.id, displayName: 'Eve 2', role: 'admin' }]);
    // Each of Dora's groups said what happened to it, once: member removed, then (but the shared one) deleted.
    expect(
      await count(
        `select count(*)::int as n from outbox where type = 'playball.group.member-removed.v1' and payload->>'userId' = $1`,
        [dora.id],
      ),
    ).toBe(MEMBERSHIPS);
    expect(
      await count(
        `select count(*)::int as n from outbox where type = 'playball.group.deleted.v1' and payload->>'reason' = 'last-member-left'`,
        [],
      ),
    ).toBe(MEMBERSHIPS - 1);
  });

  it("reports the queued clean-ups and the oldest one's age in /metrics, also while another instance works on one", async () => {
    const userId = '0192f5a4-0000-7000-8000-00000000c1ea';
    await db.query(`insert into membership_cleanups (user_id, queued_at) values ($1, now() - interval '1 minute')`, [
      userId,
    ]);
    // Held as another instance would hold it while it works: this instance skips it, and counts it.
    const holder = new Client({ connectionString: groups.database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select * from membership_cleanups where user_id = $1 for update', [userId]);
      await eventually(async () => {
        expect(await gaugeOf('membership_cleanups_queued')).toBe(1);
        expect(await gaugeOf('membership_cleanups_oldest_age_seconds')).toBeGreaterThanOrEqual(60);
      });
      await holder.query('commit');
    } finally {
      await holder.end();
    }
    // Nothing left of that user (no memberships): the loop finishes it, and the gauges say so.
    await eventually(async () => {
      expect(await gaugeOf('membership_cleanups_queued')).toBe(0);
      expect(await gaugeOf('membership_cleanups_oldest_age_seconds')).toBe(0);
    });
  });
});
