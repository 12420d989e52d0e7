import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { http } from '../support/http';
import { repoRoot } from '../support/infrastructure';
import { bareNames, exposedNames, metricNames } from '../support/promql';
import { System } from '../support/system';

type LogLine = Record<string, unknown>;

/** Every line of an app's log file, parsed: each must be one JSON object. */
function logLines(file: string): LogLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`${file}: a log line that is not JSON: ${line}`);
      }
    });
}

// The apps as processes, their output in .infra/test-logs/<app>-<port>.log, at debug level: the
// most they ever write, so the most that could leak.
describe('logs, request ids and metrics of the running apps', () => {
  const system = new System({ LOG_LEVEL: 'debug' });
  const secrets: string[] = [];
  let userId: string;

  beforeAll(async () => {
    await system.start();
  }, 120_000);

  afterAll(async () => {
    await system.stop();
  });

  it('runs a whole account journey without a password, token or email in any log line', async () => {
    const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const email = `logged-${stamp}@example.com`;
    const newEmail = `renamed-${stamp}@example.com`;
    const password = `first secret ${stamp}`;
    const newPassword = `second secret ${stamp}`;
    secrets.push(email, newEmail, password, newPassword);

    const registered = await http('POST', `${system.auth.url}/auth/register`, {
      body: { email, password, displayName: 'Logged' },
    });
    expect(registered.status).toBe(201);
    userId = registered.body.id;
    // A second registration with the same email is refused (a unique violation in the database).
    expect(
      (await http('POST', `${system.auth.url}/auth/register`, { body: { email, password, displayName: 'Again' } }))
        .status,
    ).toBe(409);
    expect(
      (await http('POST', `${system.auth.url}/auth/login`, { body: { email, password: 'wrong password' } })).status,
    ).toBe(401);
    const login = await http('POST', `${system.auth.url}/auth/login`, { body: { email, password } });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    secrets.push(token);

    const group = await eventually(async () => {
      const created = await http('POST', `${system.groups.url}/groups`, { token, body: { name: 'Logged team' } });
      expect(created.status).toBe(201);
      return created;
    });
    // A change of email or password voids earlier tokens: log in again after each.
    expect(
      (
        await http('PATCH', `${system.auth.url}/users/me`, {
          token,
          body: { email: newEmail, currentPassword: password },
        })
      ).status,
    ).toBe(200);
    const second = await http('POST', `${system.auth.url}/auth/login`, { body: { email: newEmail, password } });
    expect(second.status).toBe(200);
    secrets.push(second.body.accessToken);
    const patched = await http('PATCH', `${system.auth.url}/users/me`, {
      token: second.body.accessToken,
      body: { password: newPassword, currentPassword: password },
    });
    expect(patched.status).toBe(200);
    const last = await http('POST', `${system.auth.url}/auth/login`, {
      body: { email: newEmail, password: newPassword },
    });
    expect(last.status).toBe(200);
    const lastToken = last.body.accessToken as string;
    secrets.push(lastToken);
    expect(
      (
        await http('DELETE', `${system.auth.url}/users/me`, {
          token: lastToken,
          body: { currentPassword: newPassword },
        })
      ).status,
    ).toBe(204);
    // The deletion reached group-management: the last token is refused there once the view has it.
    await eventually(async () => {
      const gone = await http('GET', `${system.groups.url}/groups/${group.body.id}`, { token: lastToken });
      expect(gone.status).toBe(401);
    });

    const logs = system.instances.map((instance) => instance.logFile);
    for (const file of logs) {
      const text = readFileSync(file, 'utf8');
      for (const secret of secrets) {
        expect({ file, leaked: text.includes(secret) ? secret : undefined }).toEqual({ file, leaked: undefined });
      }
    }
  });

  it('writes JSON lines; an event’s lines carry its id, type, topic, partition, offset and trace id', async () => {
    const fields = {
      event_id: expect.any(String),
      topic: expect.any(String),
      partition: expect.any(Number),
      offset: expect.stringMatching(/^\d+$/),
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    };
    // The registration's event: published by auth's relay thread, applied by group-management.
    const published = await eventually(() => {
      const line = logLines(system.auth.logFile).find(
        (l) => l.msg === 'published' && l.event_type === 'playball.user.registered.v1' && l.service === 'auth',
      );
      expect(line).toMatchObject(fields);
      return line!;
    });
    const applied = await eventually(() => {
      const line = logLines(system.groups.logFile).find(
        (l) => l.msg === 'applied' && l.event_id === published.event_id,
      );
      expect(line).toMatchObject({ ...fields, event_type: 'playball.user.registered.v1', service: 'group-management' });
      return line!;
    });
    expect([applied.topic, applied.partition, applied.offset, applied.trace_id]).toEqual([
      published.topic,
      published.partition,
      published.offset,
      published.trace_id,
    ]);
    expect(userId).toEqual(expect.any(String));
  });

  it('echoes a caller’s X-Request-Id, makes one when there is none, and logs the request with it', async () => {
    const given = await fetch(`${system.auth.url}/health/live`, { headers: { 'x-request-id': 'probe-42.a' } });
    expect(given.headers.get('x-request-id')).toBe('probe-42.a');
    const made = await fetch(`${system.groups.url}/groups`);
    expect(made.status).toBe(401);
    const madeId = made.headers.get('x-request-id');
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    // Not an id: text of the caller's own choosing never reaches a log line as the request id.
    const refused = await fetch(`${system.auth.url}/health/live`, { headers: { 'x-request-id': 'a b\u00e9' } });
    expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    await eventually(() => {
      const authLines = logLines(system.auth.logFile);
      expect(authLines.find((l) => l.request_id === 'probe-42.a')).toMatchObject({
        context: 'HTTP',
        method: 'GET',
        path: '/health/live',
        status: 200,
        duration_ms: expect.any(Number),
        trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(logLines(system.groups.logFile).find((l) => l.request_id === madeId)).toMatchObject({ status: 401 });
    });
  });

  it('exports every metric the dashboard and the alerts query', async () => {
    const exported = new Set<string>();
    for (const instance of system.instances) {
      const response = await fetch(instance.metricsUrl);
      for (const name of exposedNames(await response.text())) exported.add(name);
    }
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'ops/grafana/playball.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const operations = readFileSync(join(repoRoot, 'docs/operations.md'), 'utf8');
    const queries = [
      ...dashboard.panels.flatMap((panel) =>
        panel.targets.map((target) => ({ where: panel.title, expr: target.expr })),
      ),
      ...[...operations.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => ({
        where: 'docs/operations.md',
        expr: m[1],
      })),
    ];
    expect(queries.filter((q) => q.where === 'docs/operations.md').length).toBeGreaterThanOrEqual(5);
    for (const { where, expr } of queries) {
      const names = metricNames(expr);
      expect({ where, expr, names: names.length > 0, bare: bareNames(expr) }).toEqual({
        where,
        expr,
        names: true,
        bare: [],
      });
      const missing = names.filter((name) => !exported.has(name));
      expect({ where, expr, missing }).toEqual({ where, expr, missing: [] });
    }
  });
});
