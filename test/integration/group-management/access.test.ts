import { decodeProtectedHeader, exportPKCS8, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { http, signUp } from '../../support/http';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('group-management access rules', () => {
  let auth: RunningApp;
  let groups: RunningApp;
  let authKey: PrivateKey;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    // auth signs with a key the test also holds, so the test can forge exactly one flaw at a time.
    const pair = await generateKeyPair('RS256', { extractable: true });
    authKey = pair.privateKey;
    auth = await startAuth(prefix, { JWT_PRIVATE_KEY: await exportPKCS8(pair.privateKey) });
    groups = await startGroupManagement(prefix, auth.url, { CONSISTENCY_WAIT_MS: '300' });
  });

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
  });

  async function setup() {
    const admin = await signUp(auth.url, 'Admin');
    const member = await signUp(auth.url, 'Member');
    const outsider = await signUp(auth.url, 'Outsider');
    const group = await http('POST', `${groups.url}/groups`, { token: admin.token, body: { name: 'Private' } });
    await eventually(async () => {
      const added = await http('POST', `${groups.url}/groups/${group.body.id}/members`, {
        token: admin.token,
        body: { userId: member.id },
      });
      expect(added.status).toBe(201);
    });
    // The outsider's first request may wait for the view; make sure it knows them before asserting.
    await eventually(async () =>
      expect((await http('GET', `${groups.url}/groups`, { token: outsider.token })).status).toBe(200),
    );
    return {
      admin,
      member,
      outsider,
      groupId: group.body.id as string,
      groupUrl: `${groups.url}/groups/${group.body.id}`,
    };
  }

  it('hides a group from non-members with 404', async () => {
    const { outsider, groupUrl } = await setup();
    const response = await http('GET', groupUrl, { token: outsider.token });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'GROUP.NOT_FOUND' });
  });

  it('answers 404 for an id that is not a uuid, not a server error', async () => {
    const { admin } = await setup();
    const response = await http('GET', `${groups.url}/groups/not-a-uuid`, { token: admin.token });
    expect(response.status).toBe(404);
  });

  it('forbids non-admin members to rename, delete or add members with 403', async () => {
    const { member, outsider, groupUrl } = await setup();
    const rename = await http('PATCH', groupUrl, {
      token: member.token,
      headers: { 'if-match': '"3"' },
      body: { name: 'x' },
    });
    const remove = await http('DELETE', groupUrl, { token: member.token });
    const add = await http('POST', `${groupUrl}/members`, { token: member.token, body: { userId: outsider.id } });
    expect([rename.status, remove.status, add.status]).toEqual([403, 403, 403]);
    expect(rename.body.code).toBe('GROUP.NOT_ADMIN');
  });

  it('renames with the current version and refuses a stale one with 412', async () => {
    const { admin, groupUrl } = await setup();
    const renamed = await http('PATCH', groupUrl, {
      token: admin.token,
      headers: { 'if-match': '"3"' },
      body: { name: 'New' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'New', version: 4 });

    const stale = await http('PATCH', groupUrl, {
      token: admin.token,
      headers: { 'if-match': '"3"' },
      body: { name: 'Old' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'GROUP.VERSION_MISMATCH', currentVersion: 4 });
  });

  it('honours If-Match lists, * and weak tags as RFC 9110 says', async () => {
    const { admin, groupUrl } = await setup();
    const read = await http('GET', groupUrl, { token: admin.token });
    const rename = (ifMatch: string, name: string) =>
      http('PATCH', groupUrl, { token: admin.token, headers: { 'if-match': ifMatch }, body: { name } });

    // Weak comparison is not allowed for If-Match: a weak tag never matches, even the current version.
    const weak = await rename(`W/"${read.body.version}"`, 'Weak');
    expect(weak.status).toBe(412);
    const listed = await rename(`"1", "${read.body.version}"`, 'Listed');
    expect(listed.status).toBe(200);
    const any = await rename('*', 'Any');
    expect(any.status).toBe(200);
    expect(any.body).toMatchObject({ name: 'Any', version: read.body.version + 2 });
  });

  it('deletes only the version named by If-Match when one is sent', async () => {
    const { admin, groupUrl } = await setup();
    const { version } = (await http('GET', groupUrl, { token: admin.token })).body;

    const stale = await http('DELETE', groupUrl, { token: admin.token, headers: { 'if-match': `"${version - 1}"` } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'GROUP.VERSION_MISMATCH', currentVersion: version });
    expect((await http('GET', groupUrl, { token: admin.token })).status).toBe(200);

    const current = await http('DELETE', groupUrl, { token: admin.token, headers: { 'if-match': `"${version}"` } });
    expect(current.status).toBe(204);
  });

  it('judges If-Match only for a request that would otherwise succeed: 404 and 403 come first', async () => {
    const { member, groupUrl } = await setup();
    const unknown = `${groups.url}/groups/0192f5a4-1b2c-7d3e-8f40-123456789abc`;
    const rename = (url: string, headers: Record<string, string>) =>
      http('PATCH', url, { token: member.token, headers, body: { name: 'x' } });

    expect((await rename(unknown, {})).status).toBe(404);
    expect((await rename(unknown, { 'if-match': 'garbage' })).status).toBe(404);
    expect((await rename(groupUrl, {})).status).toBe(403);
    expect((await rename(groupUrl, { 'if-match': '"999"' })).status).toBe(403);
  });

  it('requires If-Match to rename (428)', async () => {
    const { admin, groupUrl } = await setup();
    const response = await http('PATCH', groupUrl, { token: admin.token, body: { name: 'New' } });
    expect(response.status).toBe(428);
    expect(response.body.code).toBe('GROUP.VERSION_REQUIRED');
  });

  it('lets a member leave but not remove someone else', async () => {
    const { admin, member, groupUrl } = await setup();
    const removeAdmin = await http('DELETE', `${groupUrl}/members/${admin.id}`, { token: member.token });
    expect(removeAdmin.status).toBe(403);
    const leave = await http('DELETE', `${groupUrl}/members/${member.id}`, { token: member.token });
    expect(leave.status).toBe(204);
    expect((await http('GET', groupUrl, { token: member.token })).status).toBe(404);
  });

  it('answers 404 for adding an unknown user and 409 for an existing member', async () => {
    const { admin, member, groupUrl } = await setup();
    const unknown = await http('POST', `${groupUrl}/members`, {
      token: admin.token,
      body: { userId: '0192f5a4-1b2c-7d3e-8f40-123456789abc' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('USER.NOT_FOUND');
    const again = await http('POST', `${groupUrl}/members`, { token: admin.token, body: { userId: member.id } });
    expect(again.status).toBe(409);
  });

  it('deletes a group for its admin (204), after which it is gone', async () => {
    const { admin, groupUrl } = await setup();
    expect((await http('DELETE', groupUrl, { token: admin.token })).status).toBe(204);
    expect((await http('GET', groupUrl, { token: admin.token })).status).toBe(404);
  });

  it('rejects invalid bodies with 400 problem+json naming the field', async () => {
    const { admin } = await setup();
    const response = await http('POST', `${groups.url}/groups`, { token: admin.token, body: { name: '', extra: 1 } });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('REQUEST.INVALID');
  });

  describe('tokens', () => {
    async function authKid(): Promise<string> {
      const jwks = await http('GET', `${auth.url}/.well-known/jwks.json`);
      return jwks.body.keys[0].kid;
    }

    /** A token as auth would sign it, with whatever claims and key the test needs. */
    async function sign(
      claims: Record<string, unknown>,
      options: { key?: PrivateKey; kid?: string; audience?: string; issuer?: string; expiresAt?: number } = {},
    ) {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? (await authKid()) })
        .setIssuer(options.issuer ?? 'playball-auth')
        .setAudience(options.audience ?? 'playball')
        .setIssuedAt()
        .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 300)
        .sign(options.key ?? authKey);
    }

    const groupsWith = (token: string) => http('GET', `${groups.url}/groups`, { token });

    async function knownUser() {
      const user = await signUp(auth.url);
      await eventually(async () => expect((await groupsWith(user.token)).status).toBe(200));
      return user;
    }

    it('accepts a well-formed token signed with auth’s key (so the refusals below are about one flaw each)', async () => {
      const { id } = await knownUser();
      expect((await groupsWith(await sign({ sub: id, uv: 1 }))).status).toBe(200);
    });

    it('refuses a request without a token', async () => {
      const response = await http('GET', `${groups.url}/groups`);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('AUTH.UNAUTHENTICATED');
    });

    it('refuses a token signed by another key under auth’s kid', async () => {
      const { id } = await knownUser();
      const { privateKey } = await generateKeyPair('RS256');
      expect((await groupsWith(await sign({ sub: id, uv: 1 }, { key: privateKey }))).status).toBe(401);
    });

    it('refuses a token that names an unknown key', async () => {
      const { id } = await knownUser();
      expect((await groupsWith(await sign({ sub: id, uv: 1 }, { kid: 'someone-else' }))).status).toBe(401);
    });

    it('refuses an unsigned token (alg: none)', async () => {
      const { id } = await knownUser();
      const token = new UnsecuredJWT({ sub: id, uv: 1 }).setIssuer('playball-auth').setAudience('playball').encode();
      expect(decodeProtectedHeader(token).alg).toBe('none');
      expect((await groupsWith(token)).status).toBe(401);
    });

    it('accepts a token that expired within the 5 s clock tolerance', async () => {
      const { id } = await knownUser();
      const justExpired = await sign({ sub: id, uv: 1 }, { expiresAt: Math.floor(Date.now() / 1000) - 2 });
      expect((await groupsWith(justExpired)).status).toBe(200);
    });

    it('refuses an expired token', async () => {
      const { id } = await knownUser();
      const expired = await sign({ sub: id, uv: 1 }, { expiresAt: Math.floor(Date.now() / 1000) - 60 });
      expect((await groupsWith(expired)).status).toBe(401);
    });

    it('refuses a token for another audience or from another issuer', async () => {
      const { id } = await knownUser();
      expect((await groupsWith(await sign({ sub: id, uv: 1 }, { audience: 'billing' }))).status).toBe(401);
      expect((await groupsWith(await sign({ sub: id, uv: 1 }, { issuer: 'evil' }))).status).toBe(401);
    });

    it('answers 503 with Retry-After when the view has not caught up within the bound', async () => {
      const { id } = await knownUser();
      const fromTheFuture = await sign({ sub: id, uv: 1_000 });

      const response = await groupsWith(fromTheFuture);

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body.code).toBe('CONSISTENCY.PENDING');
    });
  });
});
