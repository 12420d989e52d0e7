import { authAppForTests } from './support/auth-app';
import { request, signedUp } from './support/http';

jest.setTimeout(120_000);

/** Values a careless or hostile client may send in any field. */
const hostileValues: [string, unknown][] = [
  ['a 90 kB string', 'x'.repeat(90_000)],
  ['an emoji string', '🦄🦄🦄🦄🦄🦄🦄🦄'],
  ['right-to-left and combining marks', '\u202Eevil\u0301\u0301'],
  ['a lone surrogate', '\ud800abcdefgh'],
  ['a NUL character', 'abc\u0000defgh'],
  ['control characters', '\u0001\u0002\u001b[31mred\u007f'],
  ['a newline', 'line\nbreak'],
  ['an empty string', ''],
  ['whitespace only', ' \t\n '],
  ['a number', 42],
  ['a float', 1e308],
  ['a boolean', true],
  ['null', null],
  ['an array', ['a@example.com']],
  ['an object', { $ne: null }],
  ['a NoSQL operator object', { $gt: '' }],
  ['a SQL injection', "' OR '1'='1' --"],
  ['a SQL injection with a statement', "x'); DROP TABLE users; --"],
  ['an email-shaped SQL injection', "a'--@example.com"],
  ['a template string', '${process.exit()}'],
  ['an HTML script', '<script>alert(1)</script>'],
];

/** Bodies that are not a plain object of the expected fields. */
const hostileBodies: [string, string][] = [
  [
    '__proto__ key',
    '{"__proto__": {"admin": true}, "email": "a@example.com", "password": "long enough", "displayName": "x"}',
  ],
  [
    'constructor.prototype key',
    '{"constructor": {"prototype": {"admin": true}}, "email": "a@example.com", "password": "long enough"}',
  ],
  ['a top-level array', '[{"email": "a@example.com"}]'],
  ['a top-level string', '"a@example.com"'],
  ['a top-level number', '42'],
  ['null', 'null'],
  ['truncated JSON', '{"email": "a@example.com", "pass'],
  ['deeply nested arrays', '['.repeat(5_000) + ']'.repeat(5_000)],
];

describe('hostile input', () => {
  const auth = authAppForTests();
  let token: string;

  beforeAll(async () => {
    token = (await signedUp(auth.url)).token;
  });

  function setup() {
    const valid = { email: 'someone@example.com', password: 'long enough password', displayName: 'Someone' };
    const routes = [
      {
        method: 'POST',
        path: '/auth/register',
        fields: ['email', 'password', 'displayName'],
        base: valid,
        token: undefined,
      },
      {
        method: 'POST',
        path: '/auth/login',
        fields: ['email', 'password'],
        base: { email: valid.email, password: valid.password },
        token: undefined,
      },
      {
        method: 'PATCH',
        path: '/users/me',
        fields: ['email', 'password', 'displayName', 'currentPassword'],
        base: {},
        token,
      },
    ];
    /** Sends `rawBody` as it is, labelled JSON, to the route. */
    const sendRaw = (route: (typeof routes)[number], rawBody: string) =>
      request(auth.url, route.method, route.path, {
        token: route.token,
        rawBody,
        headers: { 'content-type': 'application/json' },
      });
    return { routes, sendRaw };
  }

  it.each(hostileValues)('never answers 5xx when a field is %s', async (_case, hostile) => {
    const { routes } = setup();

    for (const route of routes) {
      for (const field of route.fields) {
        const response = await request(auth.url, route.method, route.path, {
          token: route.token,
          body: { ...route.base, [field]: hostile },
        });

        expect({ route: route.path, field, status: response.status }).toEqual({
          route: route.path,
          field,
          status: expect.any(Number),
        });
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get('content-type') ?? '').toMatch(/json/);
      }
    }
  });

  it.each(hostileBodies)('answers 400 for a body that is %s', async (_case, rawBody) => {
    const { routes, sendRaw } = setup();

    for (const route of routes) {
      const response = await sendRaw(route, rawBody);

      expect({ route: route.path, status: response.status }).toEqual({ route: route.path, status: 400 });
      expect(response.body.code).toMatch(/^REQUEST\.(INVALID|MALFORMED_JSON)$/);
    }
  });

  it.each([
    ['an empty object', '{}'],
    [
      'duplicate keys',
      '{"email": "dup@example.com", "email": "dup2@example.com", "password": "long enough", "displayName": "x"}',
    ],
  ])('never answers 5xx for a body with %s', async (_case, rawBody) => {
    const { routes, sendRaw } = setup();

    for (const route of routes) {
      const response = await sendRaw(route, rawBody);

      expect(response.status).toBeLessThan(500);
    }
  });

  it('does not let a __proto__ key reach any object', async () => {
    await request(auth.url, 'POST', '/auth/register', {
      rawBody:
        '{"__proto__": {"polluted": true}, "email": "p@example.com", "password": "long enough", "displayName": "x"}',
      headers: { 'content-type': 'application/json' },
    });

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['a lone surrogate', 'x\ud800y'],
    ['a right-to-left override', 'Ada\u202Eecalevol'],
    ['a zero-width joiner', 'A\u200Dda'],
  ])('answers 400 REQUEST.INVALID for a display name with %s, on register and on change', async (_case, name) => {
    const registered = await request(auth.url, 'POST', '/auth/register', {
      body: { email: 'bidi@example.com', password: 'long enough password', displayName: name },
    });
    const changed = await request(auth.url, 'PATCH', '/users/me', { token, body: { displayName: name } });

    expect([registered.status, changed.status]).toEqual([400, 400]);
    expect([registered.body.code, changed.body.code]).toEqual(['REQUEST.INVALID', 'REQUEST.INVALID']);
  });

  it('answers 400 for a lone surrogate in a password or an email, not a hash of something else', async () => {
    const { routes } = setup();

    for (const route of routes) {
      for (const field of route.fields.filter((f) => f !== 'displayName')) {
        const response = await request(auth.url, route.method, route.path, {
          token: route.token,
          body: { ...route.base, [field]: 'long enough \ud800 password' },
        });

        expect({ route: route.path, field, status: response.status }).toEqual({
          route: route.path,
          field,
          status: 400,
        });
      }
    }
  });

  it('answers PATCH /users/me with exactly what it stored: the name trimmed and in NFC', async () => {
    const response = await request(auth.url, 'PATCH', '/users/me', { token, body: { displayName: ' Zoe\u0308 ' } });

    expect(response.status).toBe(200);
    expect(response.body.displayName).toBe('Zo\u00eb');
    expect((await request(auth.url, 'GET', '/users/me', { token })).body).toEqual(response.body);
  });

  it('keeps a SQL injection string in a display name as plain text', async () => {
    const name = "Robert'); DROP TABLE users; --";

    const response = await request(auth.url, 'PATCH', '/users/me', { token, body: { displayName: name } });

    expect(response.status).toBe(200);
    expect(response.body.displayName).toBe(name);
    expect((await request(auth.url, 'GET', '/users/me', { token })).body.displayName).toBe(name);
  });

  it('answers 413 REQUEST.TOO_LARGE for a body over 100 kB', async () => {
    const { routes } = setup();

    for (const route of routes) {
      const response = await request(auth.url, route.method, route.path, {
        token: route.token,
        body: { ...route.base, displayName: 'x'.repeat(101 * 1024) },
      });

      expect(response.status).toBe(413);
      expect(response.body.code).toBe('REQUEST.TOO_LARGE');
    }
  });

  it.each([
    ['text/plain', 'email=a@example.com'],
    ['application/x-www-form-urlencoded', 'email=a%40example.com&password=long+enough'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n--x--',
    ],
    ['application/xml', '<email>a@example.com</email>'],
  ])('answers 415 REQUEST.UNSUPPORTED_MEDIA_TYPE for a %s body', async (contentType, rawBody) => {
    const { routes } = setup();

    for (const route of routes) {
      const response = await request(auth.url, route.method, route.path, {
        token: route.token,
        rawBody,
        headers: { 'content-type': contentType },
      });

      expect(response.status).toBe(415);
      expect(response.body.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('answers 400 REQUEST.INVALID for a JSON request without a body', async () => {
    const response = await request(auth.url, 'POST', '/auth/register', {
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('REQUEST.INVALID');
  });
});
