import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { installStageClocks, StageClocks } from '../../bench/support/stages';
import { createTestDatabase, TestDatabase } from '../support/databases';

/** A stage's p50 in a split line, in ms. */
function p50(split: string, stage: string): number {
  const match = new RegExp(`${stage} p50 (-?[\\d.]+)`).exec(split);
  if (!match) throw new Error(`no ${stage} in: ${split}`);
  return Number(match[1]);
}

/**
 * `npm run bench` with BENCH_STAGES=1 splits the end-to-end lag from PostgreSQL's clock, auth's
 * outbox in one database and group-management's inbox in another, as here. Each stage is stretched
 * by a pg_sleep of known length inside the database, so the split must show at least that.
 */
describe("the bench's stage clocks (BENCH_STAGES=1)", () => {
  let databases: TestDatabase[] = [];
  let auth: Client;
  let groups: Client;
  let clocks: StageClocks;

  beforeAll(async () => {
    databases = [await createTestDatabase('libs'), await createTestDatabase('libs')];
    [auth, groups] = databases.map((database) => new Client({ connectionString: database.url }));
    await auth.connect();
    await groups.connect();
    clocks = await installStageClocks(databases[0].url, databases[1].url);
  });

  afterAll(async () => {
    await auth?.end();
    await groups?.end();
    for (const database of databases) await database.drop();
  });

  const serverNow = async () => (await auth.query<{ now: Date }>('select clock_timestamp() as now')).rows[0].now;

  /** An event through every stage: written (40 ms in its transaction), marked 60 ms after its commit, applied in 80 ms. */
  async function eventThroughTheStages(): Promise<void> {
    const id = uuidv7();
    await auth.query('begin');
    await auth.query(`insert into outbox (event_id, topic, key, type) values ($1, 't', 'k', 'x')`, [id]);
    await auth.query('select pg_sleep(0.04)');
    await auth.query('commit');
    await auth.query(
      `update outbox set published_at = clock_timestamp() from (select pg_sleep(0.06)) pause where event_id = $1`,
      [id],
    );
    await groups.query('begin');
    await groups.query(`insert into inbox (consumer, event_id, type) values ('c', $1, 'x')`, [id]);
    await groups.query('select pg_sleep(0.08)');
    await groups.query('commit');
  }

  it("times each stage between the commits, counting only the events since the step's start", async () => {
    await eventThroughTheStages();
    const since = await serverNow();
    await eventThroughTheStages();

    const split = await clocks.split(since);

    expect(split).toMatch(/^stages \(ms, 1 events\): /);
    expect(p50(split, 'writer')).toBeGreaterThanOrEqual(40);
    expect(p50(split, 'relay')).toBeGreaterThanOrEqual(60);
    expect(p50(split, 'apply')).toBeGreaterThanOrEqual(80);
    expect(p50(split, 'commit → commit')).toBeGreaterThanOrEqual(140);
    // The stages after the writer's add up to commit → commit (each rounded to 0.1 ms).
    const sum = p50(split, 'relay') + p50(split, 'consumer') + p50(split, 'apply');
    expect(Math.abs(p50(split, 'commit → commit') - sum)).toBeLessThanOrEqual(0.2);
  });

  it('leaves the tables as they were once removed: no more clock rows', async () => {
    const count = async () => {
      const [written, applied] = await Promise.all(
        [auth, groups].map((client) => client.query<{ n: number }>('select count(*)::int as n from bench_committed')),
      );
      return [written.rows[0].n, applied.rows[0].n];
    };
    const before = await count();
    await clocks.remove();
    await eventThroughTheStages();
    expect(await count()).toEqual(before);
  });
});
