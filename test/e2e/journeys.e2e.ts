import { authClient, bearer, groupManagementClient } from '../support/api-client';
import { eventually } from '../support/eventually';
import { System } from '../support/system';

// The apps run as their own processes from the built output and are driven over HTTP only, through
// the typed clients generated from docs/openapi (every answer is checked against those documents).
describe('PlayBall, end to end', () => {
  const system = new System();
  const auth = () => authClient(system.auth.url);
  const groups = () => groupManagementClient(system.groups.url);

  beforeAll(async () => {
    await system.start();
  }, 120_000);

  afterAll(async () => {
    await system.stop();
  });

  async function register(displayName: string) {
    const email = `${displayName.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const password = 'correct horse battery';
    const registered = await auth().POST('/auth/register', { body: { email, password, displayName } });
    expect(registered.response.status).toBe(201);
    expect(registered.data).toEqual({ id: expect.any(String), email, displayName });
    const login = await auth().POST('/auth/login', { body: { email, password } });
    expect(login.response.status).toBe(200);
    expect(login.data).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, accessToken: expect.any(String) });
    return { id: registered.data!.id, token: login.data!.accessToken, email, password };
  }

  async function createGroup(token: string, name: string) {
    const created = await groups().POST('/groups', { ...bearer(token), body: { name } });
    expect(created.response.status).toBe(201);
    return created.data!;
  }

  it('registers, creates a group at once, and invites a friend', async () => {
    const ada = await register('Ada');
    const bob = await register('Bob');

    const group = await createGroup(ada.token, 'Five-a-side');

    const added = await eventually(async () => {
      const response = await groups().POST('/groups/{id}/members', {
        ...bearer(ada.token),
        params: { path: { id: group.id } },
        body: { userId: bob.id },
      });
      expect(response.response.status).toBe(201);
      return response.data!;
    });
    expect(added.members.map((m) => [m.displayName, m.role])).toEqual([
      ['Ada', 'admin'],
      ['Bob', 'member'],
    ]);

    const bobsGroups = await groups().GET('/groups', bearer(bob.token));
    expect(bobsGroups.data?.groups.map((g) => g.name)).toEqual(['Five-a-side']);
  });

  it('carries a profile change to the group listings; an email change voids the old token in both apps, a new login works', async () => {
    const ada = await register('Ada');
    const group = await createGroup(ada.token, 'Tennis');

    const me = await auth().PATCH('/users/me', { ...bearer(ada.token), body: { displayName: 'Ada Lovelace' } });
    expect(me.response.status).toBe(200);
    const newEmail = `lovelace-${Date.now()}@example.com`;
    const emailChanged = await auth().PATCH('/users/me', {
      ...bearer(ada.token),
      body: { email: newEmail, currentPassword: ada.password },
    });
    expect(emailChanged.response.status).toBe(200);

    expect((await auth().GET('/users/me', bearer(ada.token))).response.status).toBe(401);
    const login = await auth().POST('/auth/login', { body: { email: newEmail, password: ada.password } });
    expect(login.response.status).toBe(200);
    const token = login.data!.accessToken;
    const profile = await auth().GET('/users/me', bearer(token));
    expect(profile.data).toMatchObject({ id: ada.id, email: newEmail, displayName: 'Ada Lovelace' });
    // The new token waits for the change's event (read-your-writes), after which the old one is refused.
    const seen = await groups().GET('/groups/{id}', { ...bearer(token), params: { path: { id: group.id } } });
    expect(seen.data?.members[0].displayName).toBe('Ada Lovelace');
    expect((await groups().GET('/groups', bearer(ada.token))).response.status).toBe(401);
  });

  it('renames a group only at the version the caller saw', async () => {
    const ada = await register('Ada');
    const group = await createGroup(ada.token, 'Chess');
    const rename = (ifMatch: string, name: string) =>
      groups().PATCH('/groups/{id}', {
        ...bearer(ada.token),
        params: { path: { id: group.id }, header: { 'If-Match': ifMatch } },
        body: { name },
      });

    const renamed = await rename(`"${group.version}"`, 'Chess club');
    expect(renamed.data).toMatchObject({ name: 'Chess club', version: group.version + 1 });

    const stale = await rename(`"${group.version}"`, 'Chess society');
    expect(stale.response.status).toBe(412);
    expect(stale.error).toMatchObject({ code: 'GROUP.VERSION_MISMATCH', currentVersion: group.version + 1 });
  });

  it('removes a deleted account from its groups and hands the group to the oldest member', async () => {
    const ada = await register('Ada');
    const bob = await register('Bob');
    const group = await createGroup(ada.token, 'Chess');
    await eventually(async () => {
      const added = await groups().POST('/groups/{id}/members', {
        ...bearer(ada.token),
        params: { path: { id: group.id } },
        body: { userId: bob.id },
      });
      expect(added.response.status).toBe(201);
    });

    const deleted = await auth().DELETE('/users/me', { ...bearer(ada.token), body: { currentPassword: ada.password } });
    expect(deleted.response.status).toBe(204);
    const login = await auth().POST('/auth/login', { body: { email: ada.email, password: ada.password } });
    expect(login.response.status).toBe(401);
    expect(login.error?.code).toBe('AUTH.INVALID_CREDENTIALS');

    await eventually(async () => {
      const seen = await groups().GET('/groups/{id}', { ...bearer(bob.token), params: { path: { id: group.id } } });
      expect(seen.data?.members).toEqual([{ userId: bob.id, displayName: 'Bob', role: 'admin' }]);
    });
  });

  it('reports both apps healthy with an empty relay backlog once settled', async () => {
    for (const client of [auth(), groups()]) {
      await eventually(async () => {
        const health = await client.GET('/health');
        expect(health.response.status).toBe(200);
        expect(health.data?.status).toBe('up');
        expect(health.data?.checks.outbox.unpublished).toBe(0);
      });
    }
    for (const { metricsUrl } of [system.auth, system.groups]) {
      const metrics = await fetch(metricsUrl);
      expect(await metrics.text()).toContain('outbox_published_total');
    }
  });
});
