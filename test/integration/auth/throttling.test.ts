import { authAppForTests } from './support/auth-app';
import { credentials, newUser, register, request } from './support/http';

jest.setTimeout(60_000);

describe('throttling of /auth/register and /auth/login', () => {
  const limit = 3;
  // A window far longer than the test, so the count cannot reset halfway through.
  const auth = authAppForTests({ AUTH_THROTTLE_LIMIT: String(limit), AUTH_THROTTLE_TTL_MS: '600000' });

  function setup(path: '/auth/register' | '/auth/login') {
    return {
      post: (body: unknown, headers: Record<string, string> = {}) => request(auth.url, 'POST', path, { body, headers }),
    };
  }

  it('answers 429 RATE_LIMITED with Retry-After once a client passes the configured limit on login', async () => {
    const { post } = setup('/auth/login');
    const wrong = { email: 'nobody@example.com', password: 'wrong password' };

    const statuses = [];
    for (let i = 0; i < limit; i++) statuses.push((await post(wrong)).status);
    const limited = await post(wrong);

    expect(statuses).toEqual([401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', instance: '/auth/login' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses even correct credentials while the client is limited', async () => {
    // Registration has its own count, so this account can still be created here.
    const user = await register(auth.url);
    const { post } = setup('/auth/login');

    const response = await post(credentials(user));

    expect(response.status).toBe(429);
  });

  it('counts registrations separately and limits them too', async () => {
    const { post } = setup('/auth/register');

    // One registration was spent by the previous test.
    const statuses = [];
    for (let i = 1; i < limit; i++) statuses.push((await post(newUser())).status);
    const limited = await post(newUser());

    expect(statuses).toEqual([201, 201]);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
  });

  it('does not limit the other routes', async () => {
    const responses = await Promise.all(
      Array.from({ length: limit + 2 }, () => request(auth.url, 'GET', '/.well-known/jwks.json')),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(limit + 2).fill(200));
  });
});
