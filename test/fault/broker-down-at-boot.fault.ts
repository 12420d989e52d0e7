import { startBroker, stopBroker } from '../support/broker';
import { eventually } from '../support/eventually';
import { http } from '../support/http';
import { System } from '../support/system';

// Both apps started while the broker is down: they serve HTTP, /health says what is missing, and
// once the broker is back the outbox drains and the consumer joins without a restart.
describe('both apps started while the broker is down', () => {
  const system = new System();

  afterAll(async () => {
    startBroker(); // idempotent: a test that failed mid-outage must not leave the broker down
    await system.stop();
  });

  it('serve HTTP at once and integrate when the broker comes back', async () => {
    await stopBroker();
    await system.start('answering');

    expect((await http('GET', `${system.groups.url}/health/live`)).status).toBe(200);
    // Ready, but degraded: requests work, events wait.
    await eventually(async () => {
      const health = await http('GET', `${system.groups.url}/health`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: 'degraded',
        checks: {
          database: { status: 'up' },
          kafka: { status: 'down' },
          consumer: { status: 'down', reason: 'cannot connect' },
        },
      });
    });

    // auth takes the registration: its event waits in the outbox.
    const email = `offline-${Date.now()}@example.com`;
    const password = 'correct horse battery';
    expect(
      (await http('POST', `${system.auth.url}/auth/register`, { body: { email, password, displayName: 'Ada' } }))
        .status,
    ).toBe(201);
    const token = (await http('POST', `${system.auth.url}/auth/login`, { body: { email, password } })).body
      .accessToken as string;

    // group-management answers, and says the user has not reached it yet.
    const early = await http('POST', `${system.groups.url}/groups`, { token, body: { name: 'Early birds' } });
    expect(early.status).toBe(503);
    expect(early.body.code).toBe('CONSISTENCY.PENDING');

    startBroker();
    await eventually(
      async () => expect((await http('GET', `${system.groups.url}/health`)).body.status).toBe('up'),
      60_000,
    );
    await eventually(async () => {
      const created = await http('POST', `${system.groups.url}/groups`, { token, body: { name: 'Early birds' } });
      expect(created.status).toBe(201);
    }, 60_000);
  }, 180_000);
});
