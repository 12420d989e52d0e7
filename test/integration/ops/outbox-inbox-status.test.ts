import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { addEvent } from '@playball/outbox';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { signUp } from '../../support/http';
import { uniqueName } from '../../support/kafka';
import { runOps } from './support/ops-cli';
import { opsEnv } from './support/ops-env';

describe('ops outbox status and inbox status', () => {
  const prefix = uniquePrefix();
  const consumerGroup = uniqueName('group-management');
  let auth: RunningApp;
  let groups: RunningApp;

  beforeAll(async () => {
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url, { KAFKA_CONSUMER_GROUP: consumerGroup });
  }, 180_000);

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
  });

  it('reports a healthy outbox with its relay leader, exit 0', async () => {
    const run = await runOps(['outbox', 'status', '--app', 'auth', '--json'], opsEnv(auth, prefix));
    expect(run.code).toBe(0);
    expect(run.json).toEqual({
      status: 'ok',
      apps: [
        expect.objectContaining({
          app: 'auth',
          pending: 0,
          oldestPendingAgeSeconds: null,
          leader: { pid: expect.any(Number), client: expect.any(String), connectedAt: expect.any(String) },
          standbys: [],
          failing: [],
          failingTotal: 0,
          problems: [],
        }),
      ],
    });
  });

  it("shows a stuck row's last error and attempts, and exits 5", async () => {
    // An event of a topic auth does not own: its relay refuses it and says why on the row (stuck for good).
    const db = auth.app.get(DataSource);
    const groupId = randomUUID();
    await db.transaction((manager) =>
      addEvent(manager, 'playball.group.deleted.v1', { groupId, reason: 'deleted-by-admin', version: 1 }),
    );
    await eventually(async () => {
      const [row] = (await db.query(`select attempts from outbox where key = $1`, [groupId])) as { attempts: number }[];
      expect(row.attempts).toBeGreaterThanOrEqual(1);
    });

    const run = await runOps(['outbox', 'status', '--app', 'auth', '--json'], opsEnv(auth, prefix));

    expect(run.code).toBe(5);
    expect(run.json.status).toBe('unhealthy');
    const [report] = run.json.apps;
    expect(report.pending).toBe(1);
    expect(report.oldestPendingAgeSeconds).toBeGreaterThan(0);
    expect(report.failing).toEqual([
      expect.objectContaining({
        type: 'playball.group.deleted.v1',
        attempts: expect.any(Number),
        lastError: expect.stringMatching(/^OUTBOX\.FOREIGN_TOPIC: /),
      }),
    ]);
    expect(report.problems).toEqual(['1 rows failing']);

    const text = await runOps(['outbox', 'status', '--app', 'auth'], opsEnv(auth, prefix));
    expect(text.code).toBe(5);
    expect(text.stdout).toMatch(/last error: OUTBOX\.FOREIGN_TOPIC/);
    expect(text.stdout).toMatch(/relay leader: \S+ \(backend pid \d+/);
    // The operator's fix: the row goes (it holds back every row behind it, as a refused row does).
    await db.query(`delete from outbox where key = $1`, [groupId]);
  }, 120_000);

  it('reports lag per partition and the last applied event, exit 0 when caught up', async () => {
    await signUp(auth.url, 'Lagless');
    await eventually(async () => {
      const [row] = (await groups.app.get(DataSource).query(`select count(*)::int as n from inbox`)) as { n: number }[];
      expect(row.n).toBe(1);
    }, 30_000);

    const run = await eventually(async () => {
      const attempt = await runOps(['inbox', 'status', '--json'], opsEnv(groups, prefix, consumerGroup));
      expect(attempt.json.totalLag).toBe(0);
      return attempt;
    }, 60_000);

    expect(run.code).toBe(0);
    expect(run.json).toEqual({
      status: 'ok',
      group: consumerGroup,
      state: 'Stable',
      members: 1,
      partitions: expect.any(Array),
      totalLag: 0,
      lastAppliedAt: expect.any(String),
      appliedLastMinute: 1,
      maxLag: 1000,
      problems: [],
    });
    expect(run.json.partitions).toHaveLength(6);
    expect(run.json.partitions).toContainEqual({
      topic: `${prefix}auth.user.v1`,
      partition: expect.any(Number),
      committed: expect.any(String),
      highWatermark: '1',
      lag: 0,
    });
  }, 120_000);
});
