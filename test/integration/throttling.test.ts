import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../support/apps';
import { http, signUp } from '../support/http';

/**
 * Limits per client address and per account, counted in PostgreSQL so that every instance shares
 * them, with the client's address taken from X-Forwarded-For only behind TRUST_PROXY.
 */
describe('rate limits shared by instances', () => {
  const apps: RunningApp[] = [];
  const prefix = uniquePrefix();
  let auth: RunningApp;
  let other: RunningApp;
  const limits = {
    TRUST_PROXY: 'loopback',
    AUTH_THROTTLE_LIMIT: '4',
    AUTH_THROTTLE_ACCOUNT_LIMIT: '3',
    // Far longer than the test, so a window cannot end halfway through.
    AUTH_THROTTLE_TTL_MS: '600000',
  };

  beforeAll(async () => {
    auth = await startAuth(prefix, limits);
    other = await startAuth(prefix, limits, auth.database);
    apps.push(auth, other);
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  let address = 0;
  /** A client address of its own (TEST-NET-3), as the proxy in front would forward it. */
  const client = () => ({ 'x-forwarded-for': `203.0.113.${++address}` });
  const loginAt = (app: RunningApp, email: string, headers: Record<string, string>, password = 'a wrong password') =>
    http('POST', `${app.url}/auth/login`, { body: { email, password }, headers });

  it('limits logins to one account across instances and addresses, and answers 429 problem+json with Retry-After', async () => {
    const email = `target-${Date.now()}@example.com`;

    const statuses = [];
    for (const app of [auth, other, auth]) statuses.push((await loginAt(app, email, client())).status);
    const limited = await loginAt(other, email, client());

    expect(statuses).toEqual([401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', instance: '/auth/login' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from a fresh address is not affected: the account's count refused it.
    expect((await loginAt(auth, `bystander-${Date.now()}@example.com`, client())).status).toBe(401);
  });

  it('counts an account by its email in any case', async () => {
    const email = `Cased-${Date.now()}@example.com`;

    for (const variant of [email, email.toLowerCase(), email.toUpperCase()]) await loginAt(auth, variant, client());

    expect((await loginAt(other, ` ${email.toLowerCase()} `, client())).status).toBe(429);
  });

  it('limits a client by the address X-Forwarded-For names behind TRUST_PROXY, across instances', async () => {
    const headers = client();
    const emails = Array.from({ length: 5 }, (_, i) => `spray-${i}-${Date.now()}@example.com`);

    const statuses = [];
    for (const [i, email] of emails.entries())
      statuses.push((await loginAt(i % 2 ? other : auth, email, headers)).status);

    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await loginAt(auth, `next-${Date.now()}@example.com`, client())).status).toBe(401);
  });

  it('refuses even correct credentials while the client is limited', async () => {
    const headers = client();
    const email = `limited-${Date.now()}@example.com`;
    const password = 'correct horse battery';
    const registered = await http('POST', `${auth.url}/auth/register`, {
      body: { email, password, displayName: 'Limited' },
      headers,
    });
    expect(registered.status).toBe(201);

    // The client's limit of 4, spent on other accounts, so that no account's own limit is reached.
    for (let i = 0; i < 4; i++) await loginAt(auth, `other-${i}-${Date.now()}@example.com`, headers);

    expect((await loginAt(other, email, headers, password)).status).toBe(429);
    expect((await loginAt(auth, email, client(), password)).status).toBe(200);
  });

  it('counts registrations apart from logins, and limits them too', async () => {
    const headers = client();
    for (let i = 0; i < 4; i++) await loginAt(auth, `spent-${i}-${Date.now()}@example.com`, headers);
    expect((await loginAt(auth, `one-more-${Date.now()}@example.com`, headers)).status).toBe(429);

    const register = (n: number) =>
      http('POST', `${auth.url}/auth/register`, {
        body: { email: `new-${n}-${Date.now()}@example.com`, password: 'correct horse battery', displayName: 'New' },
        headers,
      });
    const statuses = [];
    for (let n = 1; n <= 5; n++) statuses.push((await register(n)).status);

    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  it('does not limit the routes without a limit', async () => {
    const headers = client();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => http('GET', `${auth.url}/.well-known/jwks.json`, { headers })),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
  });

  it('limits guesses of the current password per account on PATCH and DELETE /users/me', async () => {
    const { token } = await signUp(auth.url);
    const guess = (method: string) =>
      http(method, `${auth.url}/users/me`, { token, headers: client(), body: { currentPassword: 'a guess' } });

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await guess('DELETE')).status);
    const limited = await guess('DELETE');

    expect(statuses).toEqual([403, 403, 403]);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    // PATCH counts on its own route, with the same limit.
    for (let i = 0; i < 3; i++) await guess('PATCH');
    expect((await guess('PATCH')).status).toBe(429);
  });
});

describe('rate limits without TRUST_PROXY', () => {
  let auth: RunningApp;

  beforeAll(async () => {
    auth = await startAuth(uniquePrefix(), { AUTH_THROTTLE_LIMIT: '2', AUTH_THROTTLE_TTL_MS: '600000' });
  });

  afterAll(async () => {
    await auth?.close();
  });

  it('ignores X-Forwarded-For: a client cannot escape its limit by claiming other addresses', async () => {
    const statuses = [];
    for (let i = 1; i <= 3; i++) {
      const response = await http('POST', `${auth.url}/auth/login`, {
        body: { email: `x${i}-${Date.now()}@example.com`, password: 'whatever' },
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      statuses.push(response.status);
    }

    expect(statuses).toEqual([401, 401, 429]);
  });
});

describe("group-management's writes", () => {
  let auth: RunningApp;
  let groups: RunningApp;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url, {
      WRITE_THROTTLE_ACCOUNT_LIMIT: '2',
      WRITE_THROTTLE_TTL_MS: '600000',
    });
  });

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
  });

  it('are limited per caller with 429 problem+json and Retry-After; reads and other callers are not', async () => {
    const ada = await signUp(auth.url, 'Ada');
    const bob = await signUp(auth.url, 'Bob');
    const create = (token: string) => http('POST', `${groups.url}/groups`, { token, body: { name: 'Team' } });

    const statuses = [(await create(ada.token)).status, (await create(ada.token)).status];
    const limited = await create(ada.token);

    expect(statuses).toEqual([201, 201]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', instance: '/groups' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await http('GET', `${groups.url}/groups`, { token: ada.token })).status).toBe(200);
    expect((await create(bob.token)).status).toBe(201);
  });
});
