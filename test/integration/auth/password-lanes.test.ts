import { authAppForTests } from './support/auth-app';
import { register, request } from './support/http';

// Each login waits on argon2 (the default 64 MiB and 3 passes: ~150 ms here), one at a time here.
jest.setTimeout(30_000);

describe('password hashing lanes', () => {
  const auth = authAppForTests({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });

  it('refuses the logins that find the lane busy and the queue full with 503 AUTH.BUSY and Retry-After, then takes more', async () => {
    const user = await register(auth.url);
    const login = () =>
      request(auth.url, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });

    const answers = await Promise.all(Array.from({ length: 8 }, login));

    const refused = answers.filter((a) => a.status === 503);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length + answers.filter((a) => a.status === 200).length).toBe(answers.length);
    for (const answer of refused) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.body).toMatchObject({ status: 503, code: 'AUTH.BUSY' });
    }
    expect((await login()).status).toBe(200);
  });
});
