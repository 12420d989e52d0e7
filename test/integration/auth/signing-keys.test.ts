import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { http, signUp } from '../../support/http';

/**
 * Several auth instances of one deployment sign with the configured key, so each accepts the others'
 * tokens, and so does group-management whichever instance serves it the JWKS; a rolling rotation
 * (the next key published first, then signing, the old one still listed) logs nobody out.
 */
// Up to five apps start per test, at ~10 s each on a shared machine.
jest.setTimeout(120_000);

describe('signing keys across auth instances', () => {
  const pem = (key: KeyObject, type: 'pkcs8' | 'spki') =>
    key.export({ format: 'pem', type } as never) as unknown as string;
  const oldKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const newKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** Started by the running test, closed after it (before the first instance drops the shared database). */
  let apps: RunningApp[] = [];
  let prefix: string;
  let first: RunningApp;

  beforeAll(async () => {
    prefix = uniquePrefix();
    first = await startAuth(prefix, { JWT_PRIVATE_KEY: pem(oldKey.privateKey, 'pkcs8') });
  });

  afterEach(async () => {
    for (const app of apps.reverse()) await app.close();
    apps = [];
  });

  afterAll(async () => {
    await first?.close();
  });

  /** One more instance of the same deployment (same database and topics). */
  async function instance(env: Record<string, string>): Promise<RunningApp> {
    const app = await startAuth(prefix, env, first.database);
    apps.push(app);
    return app;
  }

  async function groupsBehind(auth: RunningApp): Promise<RunningApp> {
    // Refetching at once on an unknown kid, so the test sees a rotation without waiting out 10 s.
    const groups = await startGroupManagement(prefix, auth.url, { AUTH_JWKS_REFETCH_INTERVAL_MS: '1' });
    apps.push(groups);
    return groups;
  }

  const me = (auth: RunningApp, token: string) => http('GET', `${auth.url}/users/me`, { token });
  const listGroups = (groups: RunningApp, token: string) => http('GET', `${groups.url}/groups`, { token });

  it("accepts each other's tokens, in auth and in group-management, whichever instance group-management asks", async () => {
    const second = await instance({ JWT_PRIVATE_KEY: pem(oldKey.privateKey, 'pkcs8') });
    const groups = await groupsBehind(first);
    const ada = await signUp(first.url, 'Ada');
    const bob = await signUp(second.url, 'Bob');

    for (const auth of [first, second]) {
      expect((await me(auth, ada.token)).status).toBe(200);
      expect((await me(auth, bob.token)).status).toBe(200);
    }
    expect((await listGroups(groups, ada.token)).status).toBe(200);
    expect((await listGroups(groups, bob.token)).status).toBe(200);
    const [firstJwks, secondJwks] = await Promise.all(
      [first, second].map(async (auth) => (await http('GET', `${auth.url}/.well-known/jwks.json`)).body),
    );
    expect(secondJwks).toEqual(firstJwks);
  });

  it('keeps tokens of the old key valid through a rolling rotation, in both apps', async () => {
    const ada = await signUp(first.url, 'Ada');

    // Step 1 on every instance: the next key verifies and is published before anything signs with it.
    const publishing = await instance({
      JWT_PRIVATE_KEY: pem(oldKey.privateKey, 'pkcs8'),
      JWT_VERIFICATION_KEYS: pem(newKey.publicKey, 'spki'),
    });
    // Step 2: the new key signs; the old one is still listed until its tokens have expired.
    const rotated = await instance({
      JWT_PRIVATE_KEY: pem(newKey.privateKey, 'pkcs8'),
      JWT_VERIFICATION_KEYS: pem(oldKey.publicKey, 'spki'),
    });
    const jwks = (await http('GET', `${rotated.url}/.well-known/jwks.json`)).body;
    expect(jwks.keys).toHaveLength(2);
    expect(new Set(jwks.keys.map((k: { kid: string }) => k.kid)).size).toBe(2);

    const bob = await signUp(rotated.url, 'Bob');
    for (const auth of [publishing, rotated]) {
      expect((await me(auth, ada.token)).status).toBe(200);
      expect((await me(auth, bob.token)).status).toBe(200);
    }
    // group-management picks the key by kid from the JWKS of the instance it asks, which (step 1 being
    // done everywhere first) lists both keys.
    const groups = await groupsBehind(publishing);
    expect((await listGroups(groups, ada.token)).status).toBe(200);
    expect((await listGroups(groups, bob.token)).status).toBe(200);
  });
});
