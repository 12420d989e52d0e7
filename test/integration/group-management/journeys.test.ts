import { GroupCreated, Topics, topicName } from '@playball/events';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { committedOpenApiDocument } from '../../support/contract';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';
import { TopicReader } from '../../support/kafka';

describe('group-management kept in step with auth by events', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let prefix: string;

  beforeAll(async () => {
    prefix = uniquePrefix();
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url);
  });

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
  });

  it('lets a user create a group right after registering', async () => {
    const ada = await signUp(auth.url, 'Ada');

    const created = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Sunday league' } });

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Sunday league',
      version: 2,
      members: [{ userId: ada.id, displayName: 'Ada', role: 'admin' }],
    });
  });

  it('publishes the creation of a group and its first member on the group topic', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const reader = await new TopicReader([topicName(Topics.group.name, prefix)]).start();
    try {
      const created = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Chess club' } });
      const records = await reader.waitFor(2, (r) => r.key === created.body.id);
      expect(records.map((r) => r.headers.ce_type)).toEqual([GroupCreated.type, 'playball.group.member-added.v1']);
      expect(records.map((r) => r.headers.ce_sequence)).toEqual(['1', '2']);
      expect(JSON.parse(records[0].value!.toString())).toEqual({
        groupId: created.body.id,
        name: 'Chess club',
        createdBy: ada.id,
        version: 1,
      });
    } finally {
      await reader.stop();
    }
  });

  it('shows a display-name change made in auth in the member listings', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const group = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Book club' } });

    const renamed = await http('PATCH', `${auth.url}/users/me`, { token: ada.token, body: { displayName: 'Ada L.' } });
    expect(renamed.status).toBe(200);

    await eventually(async () => {
      const listed = await http('GET', `${groups.url}/groups/${group.body.id}`, { token: ada.token });
      expect(listed.body.members).toEqual([{ userId: ada.id, displayName: 'Ada L.', role: 'admin' }]);
    });
  });

  it('lists the caller’s groups only', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const bob = await signUp(auth.url, 'Bob');
    const adas = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Ada’s' } });
    await http('POST', `${groups.url}/groups`, { token: bob.token, body: { name: 'Bob’s' } });

    const listed = await http('GET', `${groups.url}/groups`, { token: ada.token });

    expect(listed.status).toBe(200);
    expect(listed.body.groups.map((g: { id: string }) => g.id)).toEqual([adas.body.id]);
    expect(listed.body.next).toBeNull();
  });

  it('adds a registered user as a member with their display name', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const bob = await signUp(auth.url, 'Bob');
    const group = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Climbing' } });

    const added = await eventually(async () => {
      const response = await http('POST', `${groups.url}/groups/${group.body.id}/members`, {
        token: ada.token,
        body: { userId: bob.id },
      });
      expect(response.status).toBe(201);
      return response;
    });

    expect(added.body.members).toEqual([
      { userId: ada.id, displayName: 'Ada', role: 'admin' },
      { userId: bob.id, displayName: 'Bob', role: 'member' },
    ]);
    const asBob = await http('GET', `${groups.url}/groups/${group.body.id}`, { token: bob.token });
    expect(asBob.status).toBe(200);
  });

  it('describes every route in its OpenAPI document, bodies and answers from the zod schemas', async () => {
    const response = await http('GET', `${groups.url}/docs-json`, { undocumented: 'the document is not in itself' });

    expect(response.status).toBe(200);
    const { paths } = response.body;
    expect(
      Object.fromEntries(Object.entries(paths).map(([path, ops]) => [path, Object.keys(ops as object).sort()])),
    ).toMatchObject({
      '/groups': ['get', 'post'],
      '/groups/{id}': ['delete', 'get', 'patch'],
      '/groups/{id}/members': ['post'],
      '/groups/{id}/members/{userId}': ['delete'],
    });
    expect(paths['/groups'].post.requestBody.content['application/json'].schema).toMatchObject({
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 100 } },
    });
    expect(paths['/groups/{id}'].patch.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: true })]),
    );
    expect(Object.keys(paths['/groups/{id}'].patch.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '412', '428', '503']),
    );
    expect((await fetch(`${groups.url}/docs`)).status).toBe(200);
  });

  it('serves the OpenAPI document committed in docs/openapi, which `npm run openapi` writes', async () => {
    const response = await http('GET', `${groups.url}/docs-json`, { undocumented: 'the document is not in itself' });

    expect(response.body).toEqual(committedOpenApiDocument('group-management'));
  });

  it('reports a healthy database, broker, relay and consumer', async () => {
    const health = await http('GET', `${groups.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body.checks).toMatchObject({
      database: { status: 'up' },
      kafka: { status: 'up' },
      outbox: { status: 'up' },
      consumer: { status: 'up' },
    });
  });

  it('serves /metrics on its own listener only, not on the API port', async () => {
    const metrics = await fetch(groups.metricsUrl);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^inbox_events_total/m);
    expect(new URL(groups.metricsUrl).port).not.toBe(new URL(groups.url).port);

    const onApi = await http('GET', `${groups.url}/metrics`, { undocumented: 'no longer on the API port' });
    expect(onApi.status).toBe(404);
  });

  it('sends security headers on every answer, and no X-Powered-By', async () => {
    for (const path of ['/health', '/groups', '/nope']) {
      const response = await fetch(`${groups.url}${path}`);
      expect({ path, poweredBy: response.headers.get('x-powered-by') }).toEqual({ path, poweredBy: null });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    }
  });
});
