import { Topics, topicName } from '@playball/events';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';
import { TopicReader } from '../../support/kafka';

describe('when auth deletes a user', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let reader: TopicReader;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url);
    reader = await new TopicReader([topicName(Topics.group.name, prefix)]).start();
  });

  afterAll(async () => {
    await reader?.stop();
    await groups?.close();
    await auth?.close();
  });

  async function groupWith(admin: { token: string }, members: { id: string }[], name = 'Team') {
    const group = await http('POST', `${groups.url}/groups`, { token: admin.token, body: { name } });
    for (const member of members) {
      await eventually(async () => {
        const added = await http('POST', `${groups.url}/groups/${group.body.id}/members`, {
          token: admin.token,
          body: { userId: member.id },
        });
        expect(added.status).toBe(201);
      });
    }
    return group.body.id as string;
  }

  const deleteAccount = async (user: { token: string; password: string }) =>
    expect(
      (await http('DELETE', `${auth.url}/users/me`, { token: user.token, body: { currentPassword: user.password } }))
        .status,
    ).toBe(204);

  it('removes their memberships and promotes the oldest remaining member when no admin is left', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const bob = await signUp(auth.url, 'Bob');
    const cy = await signUp(auth.url, 'Cy');
    const groupId = await groupWith(ada, [bob, cy]);

    await deleteAccount(ada);

    await eventually(async () => {
      const seen = await http('GET', `${groups.url}/groups/${groupId}`, { token: bob.token });
      expect(seen.body.members).toEqual([
        { userId: bob.id, displayName: 'Bob', role: 'admin' },
        { userId: cy.id, displayName: 'Cy', role: 'member' },
      ]);
    });
    const events = await reader.waitFor(1, (r) => r.key === groupId && r.headers.ce_type.endsWith('role-changed.v1'));
    expect(JSON.parse(events[0].value!.toString())).toMatchObject({ userId: bob.id, role: 'admin' });
  });

  it('deletes a group left empty and says so with an event', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const groupId = await groupWith(ada, [], 'Solo');

    await deleteAccount(ada);

    const [deleted] = await reader.waitFor(
      1,
      (r) => r.key === groupId && r.headers.ce_type === 'playball.group.deleted.v1',
    );
    expect(JSON.parse(deleted.value!.toString())).toMatchObject({ groupId, reason: 'last-member-left' });
    const removed = reader.records.filter(
      (r) => r.key === groupId && r.headers.ce_type === 'playball.group.member-removed.v1',
    );
    expect(JSON.parse(removed[0].value!.toString())).toMatchObject({ userId: ada.id, reason: 'user-deleted' });
  });

  it('publishes the clean-up in the trace of the account deletion that caused it', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const groupId = await groupWith(ada, [], 'Traced');
    const traceId = '0af7651916cd43dd8448eb211c80319c';

    const deleted = await http('DELETE', `${auth.url}/users/me`, {
      token: ada.token,
      body: { currentPassword: ada.password },
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    expect(deleted.status).toBe(204);

    await reader.waitFor(1, (r) => r.key === groupId && r.headers.ce_type === 'playball.group.deleted.v1');
    // The group's events after its creation (created, member-added for the creator).
    const cleanUp = reader.records.filter((r) => r.key === groupId).slice(2);
    expect(cleanUp.map((r) => r.headers.ce_type)).toEqual([
      'playball.group.member-removed.v1',
      'playball.group.deleted.v1',
    ]);
    for (const record of cleanUp) {
      expect(record.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    }
  });

  it('keeps an admin who is not the deleted user and only drops the member', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const bob = await signUp(auth.url, 'Bob');
    const groupId = await groupWith(ada, [bob]);

    await deleteAccount(bob);

    await eventually(async () => {
      const seen = await http('GET', `${groups.url}/groups/${groupId}`, { token: ada.token });
      expect(seen.body.members).toEqual([{ userId: ada.id, displayName: 'Ada', role: 'admin' }]);
    });
  });

  it('refuses the deleted user’s still-valid token with 401', async () => {
    const ada = await signUp(auth.url, 'Ada');
    await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Before' } });

    await deleteAccount(ada);

    await eventually(async () => {
      const refused = await http('GET', `${groups.url}/groups`, { token: ada.token });
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('AUTH.UNAUTHENTICATED');
    });
  });

  it('publishes every change of a group with a strictly increasing sequence', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const bob = await signUp(auth.url, 'Bob');
    const groupId = await groupWith(ada, [bob]);
    await http('PATCH', `${groups.url}/groups/${groupId}`, {
      token: ada.token,
      headers: { 'if-match': '"3"' },
      body: { name: 'Renamed' },
    });

    await deleteAccount(ada);

    const records = await reader.waitFor(6, (r) => r.key === groupId);
    expect(records.map((r) => r.headers.ce_type.replace(/^playball\.group\.|\.v1$/g, ''))).toEqual([
      'created',
      'member-added',
      'member-added',
      'renamed',
      'member-removed',
      'member-role-changed',
    ]);
    expect(records.map((r) => Number(r.headers.ce_sequence))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
