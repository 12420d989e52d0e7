import { Client } from 'pg';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';

jest.setTimeout(120_000);

const GROUPS_PER_USER = 5;
const MEMBERS_PER_GROUP = 4;

describe('group-management: pagination, quotas, and rights before revealing a user', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let db: Client;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url, {
      GROUPS_PER_USER_MAX: String(GROUPS_PER_USER),
      MEMBERS_PER_GROUP_MAX: String(MEMBERS_PER_GROUP),
    });
    db = new Client({ connectionString: groups.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await groups?.close();
    await auth?.close();
  });

  /** A signed-up user the group-management view already knows, so adding them does not race the event. */
  async function knownUser(name = 'Player') {
    const user = await signUp(auth.url, name);
    await eventually(async () =>
      expect((await http('GET', `${groups.url}/groups`, { token: user.token })).status).toBe(200),
    );
    return user;
  }

  async function createGroup(token: string, name = 'Team'): Promise<string> {
    const created = await http('POST', `${groups.url}/groups`, { token, body: { name } });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  const addMember = (token: string, groupId: string, userId: string) =>
    http('POST', `${groups.url}/groups/${groupId}/members`, { token, body: { userId } });

  describe('GET /groups', () => {
    it('pages with limit and an opaque cursor, in a stable order, ending with next: null', async () => {
      const ada = await knownUser('Ada');
      const ids: string[] = [];
      for (let i = 0; i < GROUPS_PER_USER; i++) ids.push(await createGroup(ada.token, `Group ${i}`));

      const seen: string[] = [];
      let cursor: string | null = null;
      const pageSizes: number[] = [];
      do {
        const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const page = await http('GET', `${groups.url}/groups${query}`, { token: ada.token });
        expect(page.status).toBe(200);
        pageSizes.push(page.body.groups.length);
        seen.push(...page.body.groups.map((g: { id: string }) => g.id));
        cursor = page.body.next;
      } while (cursor);

      expect(pageSizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(ids);
    });

    it('keeps its place when a group of an earlier page is deleted between pages', async () => {
      const bob = await knownUser('Bob');
      const ids = [
        await createGroup(bob.token, 'A'),
        await createGroup(bob.token, 'B'),
        await createGroup(bob.token, 'C'),
      ];
      const first = await http('GET', `${groups.url}/groups?limit=2`, { token: bob.token });
      expect((await http('DELETE', `${groups.url}/groups/${ids[1]}`, { token: bob.token })).status).toBe(204);

      const second = await http('GET', `${groups.url}/groups?limit=2&cursor=${first.body.next}`, { token: bob.token });

      expect(second.body).toEqual({ groups: [expect.objectContaining({ id: ids[2] })], next: null });
    });

    it.each([
      ['a limit above the maximum', '?limit=101'],
      ['a limit of 0', '?limit=0'],
      ['a limit that is not a number', '?limit=ten'],
      ['a repeated limit', '?limit=1&limit=2'],
      ['a cursor it never issued', '?cursor=bm90LWEtY3Vyc29y'],
      ['an unknown parameter', '?offset=10'],
    ])('answers 400 REQUEST.INVALID for %s', async (_case, query) => {
      const ada = await knownUser();
      const response = await http('GET', `${groups.url}/groups${query}`, { token: ada.token });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('REQUEST.INVALID');
    });
  });

  describe('quotas', () => {
    it(`lets exactly ${MEMBERS_PER_GROUP} members into a group under concurrent adds, refusing the rest with 409 GROUP.QUOTA_EXCEEDED`, async () => {
      const admin = await knownUser('Admin');
      const groupId = await createGroup(admin.token);
      const candidates = await Promise.all(Array.from({ length: 8 }, () => knownUser()));

      const answers = await Promise.all(candidates.map((c) => addMember(admin.token, groupId, c.id)));

      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([
        ...Array(MEMBERS_PER_GROUP - 1).fill(201),
        ...Array(8 - (MEMBERS_PER_GROUP - 1)).fill(409),
      ]);
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.body).toMatchObject({
          code: 'GROUP.QUOTA_EXCEEDED',
          quota: 'members-per-group',
          limit: MEMBERS_PER_GROUP,
        });
      }
      const stored = await db.query('select count(*)::int as n from memberships where group_id = $1', [groupId]);
      expect(stored.rows[0].n).toBe(MEMBERS_PER_GROUP);
    });

    it(`lets one user into exactly ${GROUPS_PER_USER} groups under concurrent adds by different admins`, async () => {
      const target = await knownUser('Target');
      const admins = await Promise.all(Array.from({ length: 8 }, () => knownUser('Admin')));
      const groupIds = await Promise.all(admins.map((a) => createGroup(a.token)));

      const answers = await Promise.all(admins.map((a, i) => addMember(a.token, groupIds[i], target.id)));

      expect(answers.filter((a) => a.status === 201)).toHaveLength(GROUPS_PER_USER);
      const refused = answers.filter((a) => a.status !== 201);
      expect(refused).toHaveLength(8 - GROUPS_PER_USER);
      for (const answer of refused) {
        expect(answer.status).toBe(409);
        expect(answer.body).toMatchObject({
          code: 'GROUP.QUOTA_EXCEEDED',
          quota: 'groups-per-user',
          limit: GROUPS_PER_USER,
        });
      }
      const stored = await db.query('select count(*)::int as n from memberships where user_id = $1', [target.id]);
      expect(stored.rows[0].n).toBe(GROUPS_PER_USER);
      // Creating a group makes its creator a member: that counts too.
      const created = await http('POST', `${groups.url}/groups`, { token: target.token, body: { name: 'One more' } });
      expect(created.status).toBe(409);
      expect(created.body.code).toBe('GROUP.QUOTA_EXCEEDED');
    });
  });

  describe('adding a member', () => {
    it('answers a non-admin member and a stranger the same for an unknown user id as for a known one', async () => {
      const admin = await knownUser('Admin');
      const member = await knownUser('Member');
      const stranger = await knownUser('Stranger');
      const someone = await knownUser('Someone');
      const groupId = await createGroup(admin.token);
      expect((await addMember(admin.token, groupId, member.id)).status).toBe(201);
      const unknownId = '0192f5a4-1b2c-7d3e-8f40-123456789abc';

      for (const caller of [member, stranger]) {
        const known = await addMember(caller.token, groupId, someone.id);
        const unknown = await addMember(caller.token, groupId, unknownId);
        expect({ status: unknown.status, code: unknown.body.code, detail: unknown.body.detail }).toEqual({
          status: known.status,
          code: known.body.code,
          detail: known.body.detail,
        });
        expect(known.status).toBe(caller === member ? 403 : 404);
      }
      // The admin, who may add, is the one told that the user does not exist.
      expect((await addMember(admin.token, groupId, unknownId)).body.code).toBe('USER.NOT_FOUND');
    });
  });
});
