import { createEvent, Topics, topicName } from '@playball/events';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';
import { produceEvent } from '../../support/kafka';

/**
 * A change of email or password, or the account's deletion, ends every token issued before it in
 * group-management too: at the latest once the change's event is applied to the user view.
 */
describe('group-management after a change of credentials', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  const prefix = uniquePrefix();

  beforeAll(async () => {
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url);
  });

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
  });

  async function setup() {
    const ada = await signUp(auth.url, 'Ada');
    const listGroups = (token: string) => http('GET', `${groups.url}/groups`, { token });
    // The old token works here before the change (the view knows Ada).
    expect((await listGroups(ada.token)).status).toBe(200);
    const login = async (email: string, password: string) => {
      const response = await http('POST', `${auth.url}/auth/login`, { body: { email, password } });
      expect(response.status).toBe(200);
      return response.body.accessToken as string;
    };
    return { ada, listGroups, login };
  }

  it.each([
    ['password', (password: string) => ({ password: 'a brand new password', currentPassword: password })],
    ['email', (password: string) => ({ email: `moved-${Date.now()}@example.com`, currentPassword: password })],
  ])('refuses tokens issued before a change of %s, and takes tokens issued after it', async (_case, body) => {
    const { ada, listGroups, login } = await setup();
    const change: { email?: string; password?: string } = body(ada.password);

    const patched = await http('PATCH', `${auth.url}/users/me`, { token: ada.token, body: change });
    expect(patched.status).toBe(200);

    // The new token carries the change's version: it waits for the event, after which the old one is void.
    const fresh = await login(change.email ?? ada.email, change.password ?? ada.password);
    expect((await listGroups(fresh)).status).toBe(200);
    const old = await listGroups(ada.token);
    expect(old.status).toBe(401);
    expect(old.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(old.body.code).toBe('AUTH.UNAUTHENTICATED');
    expect((await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Takeover' } })).status).toBe(
      401,
    );
  });

  it('keeps tokens valid across a display-name change', async () => {
    const { ada, listGroups } = await setup();

    const group = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Chess' } });

    await http('PATCH', `${auth.url}/users/me`, { token: ada.token, body: { displayName: 'Ada L.' } });

    await eventually(async () => {
      const seen = await http('GET', `${groups.url}/groups/${group.body.id}`, { token: ada.token });
      expect(seen.body.members?.[0]?.displayName).toBe('Ada L.');
    });
    expect((await listGroups(ada.token)).status).toBe(200);
  });

  it('refuses every token of a deleted account once the deletion is applied', async () => {
    const { ada, listGroups, login } = await setup();
    const other = await login(ada.email, ada.password);

    const deleted = await http('DELETE', `${auth.url}/users/me`, {
      token: ada.token,
      body: { currentPassword: ada.password },
    });
    expect(deleted.status).toBe(204);

    await eventually(async () => {
      for (const token of [ada.token, other]) expect((await listGroups(token)).status).toBe(401);
    });
  });

  it('keeps refusing them when an auth of before credentialsVersion publishes the next change', async () => {
    const { ada, listGroups, login } = await setup();
    const patched = await http('PATCH', `${auth.url}/users/me`, {
      token: ada.token,
      body: { password: 'a brand new password', currentPassword: ada.password },
    });
    const fresh = await login(ada.email, 'a brand new password');
    const group = await http('POST', `${groups.url}/groups`, { token: fresh, body: { name: 'Chess' } });
    expect(group.status).toBe(201);

    // Mid-rollout, an instance still on the old auth renames Ada: its event has no credentialsVersion.
    const older = createEvent('playball.user.updated.v1', {
      userId: ada.id,
      displayName: 'Ada (old auth)',
      version: (patched.body.version as number) + 1,
    });
    await produceEvent(topicName(Topics.user.name, prefix), older);
    await eventually(async () => {
      const seen = await http('GET', `${groups.url}/groups/${group.body.id}`, { token: fresh });
      expect(seen.body.members?.[0]?.displayName).toBe('Ada (old auth)');
    });

    expect((await listGroups(ada.token)).status).toBe(401);
    expect((await listGroups(fresh)).status).toBe(200);
  });
});
