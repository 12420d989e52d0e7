import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { terminateConnections } from '../../support/databases';
import { eventually } from '../../support/eventually';
import { http, JsonResponse, signUp } from '../../support/http';
import { viewDifferences } from '../../chaos/checks';

// Long enough for a few hundred requests and about fifty terminations on the 2-core test machine.
const stormMs = 8_000;

/**
 * Both apps serve concurrent clients while every PostgreSQL session of their two databases is
 * terminated again and again: each answer is the request's success or a 503 the client may retry
 * (Retry-After), never a 500 (nor a 401 for a valid token), and the apps serve normally afterwards.
 */
describe('PostgreSQL connections terminated under concurrent HTTP load', () => {
  let auth: RunningApp;
  let groups: RunningApp;

  beforeAll(async () => {
    const prefix = uniquePrefix();
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url);
  });

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
  });

  it('answers 503 with Retry-After, never 500; the consumer retries; all serve again afterwards', async () => {
    const players = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => signUp(auth.url, `P${n}`)));
    const statuses: Record<number, number> = {};
    const unexpected: string[] = [];
    const record = (what: string, response: JsonResponse, expected: number) => {
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const retryable = response.status === 503 && response.headers.get('retry-after') !== null;
      if (response.status !== expected && !retryable) {
        unexpected.push(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    };
    const registeredIds = players.map((p) => p.id);
    const stormEnds = Date.now() + stormMs;
    let terminated = 0;

    const storm = async () => {
      while (Date.now() < stormEnds) {
        terminated += await terminateConnections([auth.database.name, groups.database.name]);
        // Paces the fault (a pause, not a wait for a condition): sessions reopen and get work in between.
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    };
    const registerLoginDelete = async (name: string) => {
      const credentials = { email: `${name}-${Date.now()}@example.com`, password: 'correct horse battery' };
      const registered = await http('POST', `${auth.url}/auth/register`, {
        body: { ...credentials, displayName: name },
      });
      record('register', registered, 201);
      if (registered.status !== 201) return;
      registeredIds.push(registered.body.id);
      const login = await http('POST', `${auth.url}/auth/login`, { body: credentials });
      record('login', login, 200);
      if (login.status !== 200) return;
      const token = login.body.accessToken;
      const body = { currentPassword: credentials.password };
      record('delete', await http('DELETE', `${auth.url}/users/me`, { token, body }), 204);
    };
    const client = async (player: (typeof players)[number], n: number) => {
      for (let i = 0; Date.now() < stormEnds; i++) {
        const name = `P${n}-${i}`;
        const { token } = player;
        if (i % 3 === 0) {
          record('rename', await http('PATCH', `${auth.url}/users/me`, { token, body: { displayName: name } }), 200);
        } else if (i % 3 === 1) {
          record('create group', await http('POST', `${groups.url}/groups`, { token, body: { name } }), 201);
        } else {
          await registerLoginDelete(name);
        }
      }
    };
    await Promise.all([storm(), ...players.map((p, n) => client(p, n))]);

    expect(unexpected).toEqual([]);
    expect(terminated).toBeGreaterThan(0);
    console.log(`${terminated} sessions terminated; answers by status: ${JSON.stringify(statuses)}`);
    const [ada] = players;
    await eventually(async () => {
      const created = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'after' } });
      expect(created.status).toBe(201);
    });
    // The consumer retried what the terminations interrupted (nothing dead-lettered, nothing skipped).
    await eventually(async () => {
      expect(await viewDifferences(auth.database.url, groups.database.url, registeredIds)).toEqual([]);
    }, 30_000);
  });
});
