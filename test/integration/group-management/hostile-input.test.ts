import { Client } from 'pg';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';

jest.setTimeout(120_000);

/** Values a careless or hostile client may send in any field (as auth's hostile-input test sends them). */
const hostileValues: [string, unknown][] = [
  ['a 90 kB string', 'x'.repeat(90_000)],
  ['a lone surrogate', 'x\ud800y'],
  ['a lone low surrogate', '\udc00'],
  ['a right-to-left override', 'Admin\u202Enimda'],
  ['a zero-width space', 'Ad\u200Bmin'],
  ['a byte order mark inside', 'Ad\uFEFFmin'],
  ['a NUL character', 'abc\u0000def'],
  ['control characters', '\u0001\u0002\u001b[31mred\u007f'],
  ['an empty string', ''],
  ['whitespace only', ' \t\n '],
  ['a number', 42],
  ['a boolean', true],
  ['null', null],
  ['an array', ['x']],
  ['an object', { $ne: null }],
];

/** Bodies that are not a plain object of the expected fields. */
const hostileBodies: [string, string][] = [
  ['__proto__ key', '{"__proto__": {"admin": true}, "name": "x"}'],
  ['a top-level array', '[{"name": "x"}]'],
  ['a top-level string', '"x"'],
  ['null', 'null'],
  ['truncated JSON', '{"name": "x'],
  ['a lone surrogate escape in a key', '{"na\\ud800me": "x"}'],
  ['deeply nested arrays', '['.repeat(5_000) + ']'.repeat(5_000)],
];

describe('group-management under hostile input', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let db: Client;
  let admin: { id: string; token: string };
  let other: { id: string; token: string };
  let groupId: string;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url);
    db = new Client({ connectionString: groups.database.url });
    await db.connect();
    admin = await signUp(auth.url, 'Admin');
    other = await signUp(auth.url, 'Other');
    const created = await eventually(async () => {
      const response = await http('POST', `${groups.url}/groups`, { token: admin.token, body: { name: 'Target' } });
      expect(response.status).toBe(201);
      return response;
    });
    groupId = created.body.id;
    await eventually(async () =>
      expect((await http('GET', `${groups.url}/groups`, { token: other.token })).status).toBe(200),
    );
  });

  afterAll(async () => {
    await db?.end();
    await groups?.close();
    await auth?.close();
  });

  function routes(): {
    method: string;
    path: string;
    fields: string[];
    base: object;
    headers: Record<string, string>;
  }[] {
    return [
      { method: 'POST', path: '/groups', fields: ['name'], base: {}, headers: {} },
      { method: 'PATCH', path: `/groups/${groupId}`, fields: ['name'], base: {}, headers: { 'if-match': '*' } },
      {
        method: 'POST',
        path: `/groups/${groupId}/members`,
        fields: ['userId', 'role'],
        base: { userId: other.id },
        headers: {},
      },
    ];
  }

  it.each(hostileValues)('answers 400 problem+json, never 5xx, when a field is %s', async (_case, hostile) => {
    for (const route of routes()) {
      for (const field of route.fields) {
        const response = await http(route.method, `${groups.url}${route.path}`, {
          token: admin.token,
          headers: route.headers,
          body: { ...route.base, [field]: hostile },
        });

        expect({ route: route.path, field, status: response.status }).toEqual({
          route: route.path,
          field,
          status: 400,
        });
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.code).toBe('REQUEST.INVALID');
      }
    }
  });

  it.each(hostileBodies)('answers 400 for a body that is %s', async (_case, rawBody) => {
    for (const route of routes()) {
      const response = await http(route.method, `${groups.url}${route.path}`, {
        token: admin.token,
        headers: { ...route.headers, 'content-type': 'application/json' },
        body: rawBody,
      });

      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 400 });
      expect(response.body.code).toMatch(/^REQUEST\.(INVALID|MALFORMED_JSON)$/);
    }
  });

  it.each([
    ['an id that is not a uuid', 'not-a-uuid'],
    ['an invalid UTF-8 escape', '%ED%A0%80'],
    ['a malformed escape', '%E0%A4%A'],
    ['a SQL injection', "1'%20OR%20'1'='1"],
  ])('never answers 5xx for a path with %s', async (_case, segment) => {
    for (const [method, path] of [
      ['GET', `/groups/${segment}`],
      ['DELETE', `/groups/${segment}`],
      ['DELETE', `/groups/${groupId}/members/${segment}`],
    ]) {
      const response = await http(method, `${groups.url}${path}`, { token: admin.token });

      expect({ method, path, status: response.status }).toEqual({ method, path, status: expect.any(Number) });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
  });

  it('stores a name in NFC and answers with exactly what it stored, on create, rename and read', async () => {
    const decomposed = 'Cafe\u0301 Zoe\u0308';
    const composed = 'Caf\u00e9 Zo\u00eb';

    const created = await http('POST', `${groups.url}/groups`, {
      token: admin.token,
      body: { name: `  ${decomposed} ` },
    });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(composed);
    const stored = await db.query<{ name: string }>('select name from groups where id = $1', [created.body.id]);
    expect(stored.rows[0].name).toBe(composed);
    expect((await http('GET', `${groups.url}/groups/${created.body.id}`, { token: admin.token })).body.name).toBe(
      composed,
    );

    const renamed = await http('PATCH', `${groups.url}/groups/${created.body.id}`, {
      token: admin.token,
      headers: { 'if-match': '*' },
      body: { name: 'A\u030Angstr\u00f6m' },
    });
    expect(renamed.body.name).toBe('\u00c5ngstr\u00f6m');
    const read = await http('GET', `${groups.url}/groups/${created.body.id}`, { token: admin.token });
    expect(read.body).toEqual(renamed.body);
  });

  it('keeps a SQL injection string in a group name as plain text', async () => {
    const name = "x'); DROP TABLE groups; --";

    const created = await http('POST', `${groups.url}/groups`, { token: admin.token, body: { name } });

    expect(created.status).toBe(201);
    expect((await http('GET', `${groups.url}/groups/${created.body.id}`, { token: admin.token })).body.name).toBe(name);
  });

  it('leaves the group as it was after every refused request', async () => {
    const before = await http('GET', `${groups.url}/groups/${groupId}`, { token: admin.token });
    await http('PATCH', `${groups.url}/groups/${groupId}`, {
      token: admin.token,
      headers: { 'if-match': '*' },
      body: { name: 'x\ud800y' },
    });
    expect((await http('GET', `${groups.url}/groups/${groupId}`, { token: admin.token })).body).toEqual(before.body);
  });
});
