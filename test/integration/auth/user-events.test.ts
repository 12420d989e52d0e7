import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { eventually } from '../../support/eventually';
import { ReceivedRecord } from '../../support/kafka';
import { authAppForTests } from './support/auth-app';
import { login, request, signedUp } from './support/http';

// Each test waits on argon2 and, for events, on the relay and a Kafka consumer; 5 s is too tight on a shared machine.
jest.setTimeout(30_000);

describe('user events on <prefix>auth.user.v1', () => {
  const auth = authAppForTests();

  async function setup() {
    const { user, token } = await signedUp(auth.url);
    const patch = (body: unknown) => request(auth.url, 'PATCH', '/users/me', { token, body });
    const reader = await auth.userEvents();
    const type = (r: ReceivedRecord) => r.headers.ce_type ?? null;
    const value = (r: ReceivedRecord) => (r.value === null ? null : JSON.parse(r.value.toString()));
    /**
     * Every record of this user (one key, so one partition, in log order) once one of them matches
     * `last`. Per-key order means anything published before that record is in the list too.
     */
    const recordsThrough = (last: (r: ReceivedRecord) => boolean) =>
      eventually(() => {
        const records = reader.records.filter((r) => r.key === user.id);
        if (!records.some(last))
          throw new Error(`the awaited record is not among ${records.length} records of ${user.id}`);
        return records;
      }, 20_000);
    const named = (displayName: string) => (r: ReceivedRecord) => value(r)?.displayName === displayName;
    return { user, token, patch, recordsThrough, named, type, value };
  }

  it('publishes one registered event with the CloudEvents headers, keyed by the user id', async () => {
    const { user, patch, recordsThrough, named, type, value } = await setup();
    // A later change of the same user, waited for, proves nothing more was published before it.
    await patch({ displayName: 'Later' });

    const records = await recordsThrough(named('Later'));

    expect(records.map(type)).toEqual(['playball.user.registered.v1', 'playball.user.updated.v1']);
    const [registered] = records;
    expect(registered.topic).toBe(auth.userTopic);
    expect(registered.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      ce_source: '/auth',
      ce_type: 'playball.user.registered.v1',
      ce_subject: user.id,
      ce_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      ce_sequence: '1',
      'content-type': 'application/json',
      // The request came without a trace, so it started one (not sampled).
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/),
    });
    expect(value(registered)).toEqual({
      userId: user.id,
      displayName: user.displayName,
      version: 1,
      credentialsVersion: 1,
    });
  });

  it("carries the caller's trace: the event of a request with a traceparent is in that trace", async () => {
    const { user, token, recordsThrough, named } = await setup();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

    await request(auth.url, 'PATCH', '/users/me', { token, body: { displayName: 'Traced' }, headers: { traceparent } });

    const records = await recordsThrough(named('Traced'));
    const traced = records.at(-1)!;
    expect(traced.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(traced.headers.traceparent).not.toBe(traceparent);
    // The registration was another request: another trace.
    expect(records[0].headers.traceparent).not.toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(user.id).toBe(traced.key);
  });

  it('never puts the email, the password or its hash in a record', async () => {
    const { user, patch, recordsThrough, named } = await setup();
    await patch({ displayName: 'Renamed' });
    const [hash] = await auth.app
      .get<DataSource>(getDataSourceToken())
      .query('select password_hash from users where id = $1', [user.id]);

    const records = await recordsThrough(named('Renamed'));

    const everything = JSON.stringify(records.map((r) => ({ ...r, value: r.value?.toString() })));
    for (const secret of [user.email, user.email.split('@')[0], user.password, hash.password_hash, 'argon2']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('publishes an updated event with the new version when the display name changes', async () => {
    const { user, patch, recordsThrough, named, type, value } = await setup();

    await patch({ displayName: 'Grace' });
    await patch({ displayName: 'Grace Hopper' });

    const records = await recordsThrough(named('Grace Hopper'));
    expect(records.map(type)).toEqual([
      'playball.user.registered.v1',
      'playball.user.updated.v1',
      'playball.user.updated.v1',
    ]);
    expect(records.slice(1).map(value)).toEqual([
      { userId: user.id, displayName: 'Grace', version: 2, credentialsVersion: 1 },
      { userId: user.id, displayName: 'Grace Hopper', version: 3, credentialsVersion: 1 },
    ]);
    expect(records.map((r) => r.headers.ce_sequence)).toEqual(['1', '2', '3']);
  });

  it('publishes an email or password change as an updated event whose credentialsVersion voids older tokens', async () => {
    const { user, token, patch, recordsThrough, value } = await setup();

    expect((await patch({ email: `changed-${user.email}`, currentPassword: user.password })).status).toBe(200);
    const next = await login(auth.url, { email: `changed-${user.email}`, password: user.password });
    const changed = await request(auth.url, 'PATCH', '/users/me', {
      token: next,
      body: { password: 'a new long password', currentPassword: user.password },
    });
    expect(changed.status).toBe(200);
    expect(token).not.toBe(next);

    const records = await recordsThrough((r) => value(r)?.version === 3);
    expect(records.map(value)).toEqual([
      { userId: user.id, displayName: user.displayName, version: 1, credentialsVersion: 1 },
      { userId: user.id, displayName: user.displayName, version: 2, credentialsVersion: 2 },
      { userId: user.id, displayName: user.displayName, version: 3, credentialsVersion: 3 },
    ]);
  });

  it('publishes nothing when a change is refused', async () => {
    const { user, patch, recordsThrough, named, type, value } = await setup();
    const other = await signedUp(auth.url);

    expect(
      (await patch({ displayName: 'Refused', email: other.user.email, currentPassword: user.password })).status,
    ).toBe(409);
    expect(
      (await patch({ displayName: 'Refused', password: 'a new long password', currentPassword: 'wrong one' })).status,
    ).toBe(403);
    await patch({ displayName: 'Marker' });

    const records = await recordsThrough(named('Marker'));
    expect(records.map(type)).toEqual(['playball.user.registered.v1', 'playball.user.updated.v1']);
    expect(value(records[1])).toEqual({ userId: user.id, displayName: 'Marker', version: 2, credentialsVersion: 1 });
  });

  it('publishes concurrent display-name changes in version order, one version each', async () => {
    const { patch, recordsThrough, value } = await setup();
    const names = ['One', 'Two', 'Three', 'Four', 'Five'];

    const responses = await Promise.all(names.map((displayName) => patch({ displayName })));

    const versions = responses.map((r) => r.body.version).sort((a, b) => a - b);
    expect(versions).toEqual([2, 3, 4, 5, 6]);
    const records = await recordsThrough((r) => value(r)?.version === 6);
    expect(records.map((r) => value(r).version)).toEqual([1, 2, 3, 4, 5, 6]);
    // The last committed name is the one the newest event carries.
    const last = responses.find((r) => r.body.version === 6)!.body.displayName;
    expect(value(records[5]).displayName).toBe(last);
  });

  it('publishes the deleted event and then a tombstone for the same key, in that order', async () => {
    const { user, token, patch, recordsThrough, type, value } = await setup();
    await patch({ displayName: 'Before deletion' });

    const body = { currentPassword: user.password };
    expect((await request(auth.url, 'DELETE', '/users/me', { token, body })).status).toBe(204);

    const records = await recordsThrough((r) => r.value === null);
    expect(records.map(type)).toEqual([
      'playball.user.registered.v1',
      'playball.user.updated.v1',
      'playball.user.deleted.v1',
      null,
    ]);
    const [, , deleted, tombstone] = records;
    expect(value(deleted)).toEqual({ userId: user.id, version: 3 });
    expect(deleted.headers).toMatchObject({ ce_subject: user.id, ce_sequence: '3', ce_source: '/auth' });
    expect(tombstone).toMatchObject({ key: user.id, value: null, partition: deleted.partition });
    expect(BigInt(tombstone.offset)).toBeGreaterThan(BigInt(deleted.offset));
  });

  it('marks every published row in the outbox', async () => {
    const { patch, recordsThrough, named } = await setup();
    await patch({ displayName: 'Published' });
    await recordsThrough(named('Published'));

    const db = auth.app.get<DataSource>(getDataSourceToken());

    await eventually(async () => {
      const [{ n }] = await db.query('select count(*)::int as n from outbox where published_at is null');
      expect(n).toBe(0);
    });
  });
});
