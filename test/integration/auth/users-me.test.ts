import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { authAppForTests } from './support/auth-app';
import { credentials, login, register, request, signedUp } from './support/http';

// Each test waits on argon2 and, for events, on the relay and a Kafka consumer; 5 s is too tight on a shared machine.
jest.setTimeout(30_000);

describe('/users/me', () => {
  const auth = authAppForTests();

  async function setup() {
    const { user, token } = await signedUp(auth.url);
    return {
      user,
      token,
      me: (method: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}) =>
        request(auth.url, method, '/users/me', { token, ...options }),
    };
  }

  describe('GET', () => {
    it('answers the caller with their version', async () => {
      const { user, me } = await setup();

      const response = await me('GET');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: user.id, email: user.email, displayName: user.displayName, version: 1 });
    });
  });

  describe('PATCH', () => {
    it('changes the display name and bumps the version', async () => {
      const { user, me } = await setup();

      const response = await me('PATCH', { body: { displayName: '  Grace  ' } });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: user.id, email: user.email, displayName: 'Grace', version: 2 });
      expect((await me('GET')).body).toEqual(response.body);
    });

    it('changes the email when the current password is given and bumps the version; the new email logs in', async () => {
      const { user, me } = await setup();
      const email = `new-${user.email}`;

      const response = await me('PATCH', { body: { email, currentPassword: user.password } });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ email, version: 2 });
      expect(
        (await request(auth.url, 'POST', '/auth/login', { body: { email, password: user.password } })).status,
      ).toBe(200);
    });

    it('changes the password when the current one is given and bumps the version', async () => {
      const { user, me } = await setup();

      const response = await me('PATCH', {
        body: { password: 'another long password', currentPassword: user.password },
      });

      expect(response.status).toBe(200);
      expect(response.body.version).toBe(2);
      const login = await request(auth.url, 'POST', '/auth/login', {
        body: { email: user.email, password: 'another long password' },
      });
      expect(login.status).toBe(200);
    });

    it.each([
      ['a password change', (password: string) => ({ password: 'another long password', currentPassword: password })],
      [
        'an email change',
        (password: string) => ({ email: `moved-${Date.now()}@example.com`, currentPassword: password }),
      ],
    ])('ends every token issued before %s, the calling one too; tokens issued after it work', async (_case, body) => {
      const { user, token, me } = await setup();
      const other = await login(auth.url, user);
      const change: { email?: string; password?: string } = body(user.password);

      expect((await me('PATCH', { body: change })).status).toBe(200);

      for (const old of [token, other]) {
        const response = await me('GET', { token: old });
        expect(response.status).toBe(401);
        expect(response.body.code).toBe('AUTH.UNAUTHENTICATED');
      }
      const fresh = await login(auth.url, {
        email: change.email ?? user.email,
        password: change.password ?? user.password,
      });
      expect((await me('GET', { token: fresh })).status).toBe(200);
    });

    it('keeps tokens valid across a display-name change', async () => {
      const { token, me } = await setup();

      expect((await me('PATCH', { body: { displayName: 'Renamed' } })).status).toBe(200);

      expect((await me('GET', { token })).status).toBe(200);
    });

    it('answers 400 on a password change without the current password, and keeps the old one', async () => {
      const { user, me } = await setup();

      const response = await me('PATCH', { body: { password: 'another long password' } });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'REQUEST.INVALID',
        errors: [expect.objectContaining({ path: 'currentPassword' })],
      });
      expect((await request(auth.url, 'POST', '/auth/login', { body: credentials(user) })).status).toBe(200);
    });

    it('answers 400 on an email change without the current password, and keeps the old email', async () => {
      const { user, me } = await setup();

      const response = await me('PATCH', { body: { email: `taken-over-${user.email}` } });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'REQUEST.INVALID',
        errors: [expect.objectContaining({ path: 'currentPassword' })],
      });
      expect((await me('GET')).body.email).toBe(user.email);
    });

    it('answers 403 USER.CURRENT_PASSWORD_INCORRECT on an email change with a wrong current password', async () => {
      const { user, me } = await setup();

      const response = await me('PATCH', {
        body: { email: `taken-over-${user.email}`, currentPassword: 'a wrong password' },
      });

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('USER.CURRENT_PASSWORD_INCORRECT');
      expect((await me('GET')).body.email).toBe(user.email);
    });

    it('answers 403 USER.CURRENT_PASSWORD_INCORRECT on a wrong current password and changes nothing', async () => {
      const { user, me } = await setup();

      const response = await me('PATCH', {
        body: { displayName: 'Mallory', password: 'another long password', currentPassword: 'a wrong password' },
      });

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('USER.CURRENT_PASSWORD_INCORRECT');
      expect((await me('GET')).body).toMatchObject({ displayName: user.displayName, version: 1 });
      expect((await request(auth.url, 'POST', '/auth/login', { body: credentials(user) })).status).toBe(200);
    });

    it('answers 409 USER.EMAIL_TAKEN for an email another user has in any case, and changes nothing', async () => {
      const other = await register(auth.url);
      const { user, me } = await setup();

      const response = await me('PATCH', {
        body: { email: other.email.toUpperCase(), displayName: 'Changed', currentPassword: user.password },
      });

      expect(response.status).toBe(409);
      expect(response.body.code).toBe('USER.EMAIL_TAKEN');
      expect((await me('GET')).body).toMatchObject({ email: user.email, displayName: user.displayName });
    });

    it('lets a user change the case of their own email', async () => {
      const { user, me } = await setup();

      const response = await me('PATCH', { body: { email: user.email.toUpperCase(), currentPassword: user.password } });

      expect(response.status).toBe(200);
      expect(response.body.email).toBe(user.email.toUpperCase());
    });

    it('answers 200 with the user unchanged for an empty patch or the same display name', async () => {
      const { user, me } = await setup();

      const empty = await me('PATCH', { body: {} });
      const same = await me('PATCH', { body: { displayName: user.displayName } });

      expect(empty.status).toBe(200);
      expect(same.body).toEqual(empty.body);
      expect(same.body.version).toBe(1);
    });

    it.each([
      ['an unknown field', { nickname: 'x' }],
      ['the version', { version: 7 }],
      ['an id', { id: '00000000-0000-4000-8000-000000000000' }],
      ['an empty display name', { displayName: '' }],
      ['a malformed email', { email: 'at@', currentPassword: 'whatever' }],
      ['a short new password', { password: 'short', currentPassword: 'whatever' }],
      ['a null display name', { displayName: null }],
    ])('answers 400 REQUEST.INVALID for %s', async (_case, body) => {
      const { me } = await setup();

      const response = await me('PATCH', { body });

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('REQUEST.INVALID');
    });
  });

  describe('DELETE', () => {
    it('answers 204 given the current password, after which every token, the login and GET all fail', async () => {
      const { user, me } = await setup();
      const other = await login(auth.url, user);

      const response = await me('DELETE', { body: { currentPassword: user.password } });

      expect(response.status).toBe(204);
      expect(response.body).toBe('');
      expect((await me('GET')).status).toBe(401);
      expect((await me('GET', { token: other })).status).toBe(401);
      expect((await me('DELETE', { body: { currentPassword: user.password } })).status).toBe(401);
      expect((await request(auth.url, 'POST', '/auth/login', { body: credentials(user) })).status).toBe(401);
    });

    it('answers 403 USER.CURRENT_PASSWORD_INCORRECT on a wrong current password and keeps the account', async () => {
      const { me } = await setup();

      const response = await me('DELETE', { body: { currentPassword: 'a wrong password' } });

      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('USER.CURRENT_PASSWORD_INCORRECT');
      expect((await me('GET')).status).toBe(200);
    });

    it.each([
      ['no body', undefined],
      ['an empty body', {}],
      ['an empty current password', { currentPassword: '' }],
      ['an unknown field', { currentPassword: 'x', force: true }],
    ])('answers 400 REQUEST.INVALID for %s and keeps the account', async (_case, body) => {
      const { me } = await setup();

      const response = await me('DELETE', { body });

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('REQUEST.INVALID');
      expect((await me('GET')).status).toBe(200);
    });

    it('frees the email for a new registration', async () => {
      const { user, me } = await setup();
      await me('DELETE', { body: { currentPassword: user.password } });

      const again = await request(auth.url, 'POST', '/auth/register', {
        body: { email: user.email, password: user.password, displayName: user.displayName },
      });

      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(user.id);
    });
  });

  describe('authentication', () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

    function forge(
      claims: { sub: string; uv?: unknown },
      options: { key?: KeyObject; alg?: string; iss?: string; aud?: string; exp?: number } = {},
    ) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ uv: 1, ...claims })
        .setProtectedHeader({ alg: options.alg ?? 'RS256' })
        .setSubject(claims.sub)
        .setIssuer(options.iss ?? auth.config.JWT_ISSUER)
        .setAudience(options.aud ?? auth.config.JWT_AUDIENCE)
        .setIssuedAt(now - 60)
        .setExpirationTime(options.exp ?? now + 60)
        .sign(options.key ?? auth.signingKey);
    }

    it('accepts a token signed with the app key for an existing user (the forging itself works)', async () => {
      const { user, me } = await setup();

      const response = await me('GET', { token: await forge({ sub: user.id }) });

      expect(response.status).toBe(200);
    });

    it.each<[string, (userId: string) => Promise<Record<string, string>>]>([
      ['no Authorization header', async () => ({})],
      ['a Basic Authorization header', async () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
      ['a bearer token that is not a JWT', async () => ({ authorization: 'Bearer not-a-token' })],
      [
        'a token signed by another key',
        async (sub) => ({ authorization: `Bearer ${await forge({ sub }, { key: otherKey })}` }),
      ],
      [
        'an expired token',
        async (sub) => ({
          authorization: `Bearer ${await forge({ sub }, { exp: Math.floor(Date.now() / 1000) - 30 })}`,
        }),
      ],
      [
        'a token for another audience',
        async (sub) => ({ authorization: `Bearer ${await forge({ sub }, { aud: 'someone-else' })}` }),
      ],
      [
        'a token from another issuer',
        async (sub) => ({ authorization: `Bearer ${await forge({ sub }, { iss: 'someone-else' })}` }),
      ],
      [
        'a token for a user that never existed',
        async () => ({ authorization: `Bearer ${await forge({ sub: '00000000-0000-4000-8000-000000000000' })}` }),
      ],
      [
        'a token whose subject is not a user id',
        async () => ({ authorization: `Bearer ${await forge({ sub: "' or 1=1 --" })}` }),
      ],
      ['an unsigned token (alg none)', async (sub) => ({ authorization: `Bearer ${unsigned(sub)}` })],
    ])('answers 401 AUTH.UNAUTHENTICATED with WWW-Authenticate for %s', async (_case, headers) => {
      const { user } = await setup();

      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const response = await request(auth.url, method, '/users/me', {
          headers: await headers(user.id),
          body: method === 'PATCH' ? {} : undefined,
        });

        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(response.body.code).toBe('AUTH.UNAUTHENTICATED');
      }
    });

    function unsigned(sub: string): string {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub, uv: 1, iss: auth.config.JWT_ISSUER, aud: auth.config.JWT_AUDIENCE, iat: now, exp: now + 60 })}.`;
    }
  });
});
