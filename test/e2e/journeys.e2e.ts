import { eventually } from '../support/eventually';
import { http } from '../support/http';
import { System } from '../support/system';

// The apps run as their own processes from the built output and are driven over HTTP only.
describe('PlayBall, end to end', () => {
  const system = new System();

  beforeAll(async () => {
    await system.start();
  }, 120_000);

  afterAll(async () => {
    await system.stop();
  });

  async function register(displayName: string) {
    const email = `${displayName.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const password = 'correct horse battery';
    const registered = await http('POST', `${system.auth.url}/auth/register`, {
      body: { email, password, displayName },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ id: expect.any(String), email, displayName });
    const login = await http('POST', `${system.auth.url}/auth/login`, { body: { email, password } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, accessToken: expect.any(String) });
    return { id: registered.body.id as string, token: login.body.accessToken as string, email, password };
  }

  it('registers, creates a group at once, and invites a friend', async () => {
    const ada = await register('Ada');
    const bob = await register('Bob');

    const group = await http('POST', `${system.groups.url}/groups`, {
      token: ada.token,
      body: { name: 'Five-a-side' },
    });
    expect(group.status).toBe(201);

    const added = await eventually(async () => {
      const response = await http('POST', `${system.groups.url}/groups/${group.body.id}/members`, {
        token: ada.token,
        body: { userId: bob.id },
      });
      expect(response.status).toBe(201);
      return response;
    });
    expect(added.body.members.map((m: { displayName: string; role: string }) => [m.displayName, m.role])).toEqual([
      ['Ada', 'admin'],
      ['Bob', 'member'],
    ]);

    const bobsGroups = await http('GET', `${system.groups.url}/groups`, { token: bob.token });
    expect(bobsGroups.body.map((g: { name: string }) => g.name)).toEqual(['Five-a-side']);
  });

  it('carries a profile change to the group listings; an email change voids the old token in both apps, a new login works', async () => {
    const ada = await register('Ada');
    const group = await http('POST', `${system.groups.url}/groups`, { token: ada.token, body: { name: 'Tennis' } });

    const me = await http('PATCH', `${system.auth.url}/users/me`, {
      token: ada.token,
      body: { displayName: 'Ada Lovelace' },
    });
    expect(me.status).toBe(200);
    const newEmail = `lovelace-${Date.now()}@example.com`;
    expect(
      (
        await http('PATCH', `${system.auth.url}/users/me`, {
          token: ada.token,
          body: { email: newEmail, currentPassword: ada.password },
        })
      ).status,
    ).toBe(200);

    expect((await http('GET', `${system.auth.url}/users/me`, { token: ada.token })).status).toBe(401);
    const login = await http('POST', `${system.auth.url}/auth/login`, {
      body: { email: newEmail, password: ada.password },
    });
    expect(login.status).toBe(200);
    const profile = await http('GET', `${system.auth.url}/users/me`, { token: login.body.accessToken });
    expect(profile.body).toMatchObject({ id: ada.id, email: newEmail, displayName: 'Ada Lovelace' });
    // The new token waits for the change's event (read-your-writes), after which the old one is refused.
    const seen = await http('GET', `${system.groups.url}/groups/${group.body.id}`, { token: login.body.accessToken });
    expect(seen.body.members[0].displayName).toBe('Ada Lovelace');
    expect((await http('GET', `${system.groups.url}/groups`, { token: ada.token })).status).toBe(401);
  });

  it('removes a deleted account from its groups and hands the group to the oldest member', async () => {
    const ada = await register('Ada');
    const bob = await register('Bob');
    const group = await http('POST', `${system.groups.url}/groups`, { token: ada.token, body: { name: 'Chess' } });
    await eventually(async () => {
      const added = await http('POST', `${system.groups.url}/groups/${group.body.id}/members`, {
        token: ada.token,
        body: { userId: bob.id },
      });
      expect(added.status).toBe(201);
    });

    const deleted = await http('DELETE', `${system.auth.url}/users/me`, {
      token: ada.token,
      body: { currentPassword: ada.password },
    });
    expect(deleted.status).toBe(204);
    expect(
      (await http('POST', `${system.auth.url}/auth/login`, { body: { email: ada.email, password: ada.password } }))
        .status,
    ).toBe(401);

    await eventually(async () => {
      const seen = await http('GET', `${system.groups.url}/groups/${group.body.id}`, { token: bob.token });
      expect(seen.body.members).toEqual([{ userId: bob.id, displayName: 'Bob', role: 'admin' }]);
    });
  });

  it('reports both apps healthy with an empty relay backlog once settled', async () => {
    for (const url of [system.auth.url, system.groups.url]) {
      await eventually(async () => {
        const health = await http('GET', `${url}/health`);
        expect(health.status).toBe(200);
        expect(health.body.status).toBe('up');
        expect(health.body.checks.outbox.unpublished).toBe(0);
      });
      const metrics = await fetch(`${url}/metrics`);
      expect(await metrics.text()).toContain('outbox_published_total');
    }
  });
});
