import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { authAppForTests } from './support/auth-app';
import { newUser, register, request } from './support/http';

// Each test waits on argon2 and, for events, on the relay and a Kafka consumer; 5 s is too tight on a shared machine.
jest.setTimeout(30_000);

describe('POST /auth/register', () => {
  const auth = authAppForTests();

  function setup() {
    return { post: (body: unknown) => request(auth.url, 'POST', '/auth/register', { body }) };
  }

  it('creates an account and answers 201 with its id, email and display name', async () => {
    const { post } = setup();
    const user = newUser({ displayName: 'Grace Hopper' });

    const response = await post(user);

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: user.email,
      displayName: 'Grace Hopper',
    });
  });

  it('stores the password as an argon2id hash, never as given', async () => {
    const user = await register(auth.url);

    const rows = await auth.app
      .get<DataSource>(getDataSourceToken())
      .query('select password_hash from users where id = $1', [user.id]);

    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].password_hash).not.toContain(user.password);
  });

  it('trims the email and the display name', async () => {
    const { post } = setup();
    const user = newUser();

    const response = await post({ ...user, email: `  ${user.email}\t`, displayName: '  Alan Turing  ' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ email: user.email, displayName: 'Alan Turing' });
  });

  it('answers 409 USER.EMAIL_TAKEN for an email that differs from an existing one only in case', async () => {
    const { post } = setup();
    const existing = await register(auth.url);

    const response = await post(newUser({ email: existing.email.toUpperCase() }));

    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 409, code: 'USER.EMAIL_TAKEN', instance: '/auth/register' });
  });

  it('lets exactly one of two concurrent registrations of one email through', async () => {
    const { post } = setup();
    const user = newUser();

    const statuses = (await Promise.all([post(user), post({ ...user, email: user.email.toUpperCase() })])).map(
      (r) => r.status,
    );

    expect(statuses.sort()).toEqual([201, 409]);
  });

  it('answers 400 REQUEST.INVALID naming every invalid field', async () => {
    const { post } = setup();

    const response = await post({ email: 'not-an-email', password: 'short', displayName: '' });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('REQUEST.INVALID');
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'displayName',
      'email',
      'password',
    ]);
  });

  it.each([
    ['a missing field', { email: 'a@example.com', password: 'long enough' }, 'displayName'],
    ['an unknown field', { ...newUser(), role: 'admin' }, ''],
    ['a display name of only spaces', newUser({ displayName: '   ' }), 'displayName'],
    ['a display name over 100 characters', newUser({ displayName: 'x'.repeat(101) }), 'displayName'],
    ['a display name with a control character', newUser({ displayName: 'Ada\u0007' }), 'displayName'],
    ['a password of 7 characters', newUser({ password: '1234567' }), 'password'],
    ['a password over 128 characters', newUser({ password: 'p'.repeat(129) }), 'password'],
    ['an email over 254 characters', newUser({ email: `${'a'.repeat(250)}@example.com` }), 'email'],
  ])('refuses %s with 400', async (_case, body, path) => {
    const response = await setup().post(body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'REQUEST.INVALID',
      errors: expect.arrayContaining([expect.objectContaining({ path })]),
    });
  });

  it('accepts a display name of exactly 100 characters and a password of exactly 8 and 128', async () => {
    const { post } = setup();

    const responses = await Promise.all([
      post(newUser({ displayName: 'd'.repeat(100), password: '12345678' })),
      post(newUser({ password: 'p'.repeat(128) })),
    ]);

    expect(responses.map((r) => r.status)).toEqual([201, 201]);
  });
});
