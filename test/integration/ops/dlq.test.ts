import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { RunningApp, startAuth, startGroupManagement, uniquePrefix } from '../../support/apps';
import { eventually } from '../../support/eventually';
import { signUp } from '../../support/http';
import { uniqueName, withAdmin } from '../../support/kafka';
import { runOps } from './support/ops-cli';
import { opsEnv } from './support/ops-env';

/**
 * A user event group-management cannot apply (a trigger refuses its row, as a bug or a bad
 * migration would) is dead-lettered; once fixed, `dlq replay` republishes it and it is applied
 * exactly once, however often it is replayed.
 */
describe('ops dlq', () => {
  const prefix = uniquePrefix();
  const consumerGroup = uniqueName('group-management');
  let auth: RunningApp;
  let groups: RunningApp;
  let db: DataSource;
  let env: Record<string, string>;
  const dlqTopic = `${prefix}auth.user.v1.${consumerGroup}.dlq`;

  beforeAll(async () => {
    auth = await startAuth(prefix);
    groups = await startGroupManagement(prefix, auth.url, { KAFKA_CONSUMER_GROUP: consumerGroup });
    db = groups.app.get(DataSource);
    env = opsEnv(groups, prefix, consumerGroup);
    await db.query(`
      create table view_writes (user_id uuid not null);
      create function count_view_write() returns trigger language plpgsql as $$
        begin insert into view_writes values (new.id); return new; end $$;
      create trigger count_view_write after insert or update on users for each row execute function count_view_write();
      create function poison() returns trigger language plpgsql as $$
        begin if new.display_name = 'Poison' then raise exception 'the view refuses this row'; end if; return new; end $$;
      create trigger poison before insert or update on users for each row execute function poison();`);
  }, 180_000);

  afterAll(async () => {
    await groups?.close();
    await auth?.close();
  });

  const writesOf = async (userId: string) =>
    ((await db.query(`select count(*)::int as n from view_writes where user_id = $1`, [userId])) as { n: number }[])[0]
      .n;

  /** The consumer has read everything on the user topic (so a replayed copy has been seen). */
  const consumerCaughtUp = () =>
    eventually(
      () =>
        withAdmin(async (admin) => {
          const topic = topicName(Topics.user.name, prefix);
          const [ends, [committed]] = await Promise.all([
            admin.fetchTopicOffsets(topic),
            admin.fetchOffsets({ groupId: consumerGroup, topics: [topic] }),
          ]);
          for (const end of ends) {
            const at = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            expect({ partition: end.partition, at: Number(at) < 0 ? end.low : at }).toEqual({
              partition: end.partition,
              at: end.high,
            });
          }
        }),
      30_000,
    );

  it('lists, shows, and replays a fixed dead letter exactly once; a second replay is refused', async () => {
    const poisoned = await signUp(auth.url, 'Poison');
    const healthy = await signUp(auth.url, 'Fine');
    await eventually(async () => expect(await writesOf(healthy.id)).toBe(1), 30_000);

    const list = await eventually(async () => {
      const run = await runOps(['dlq', 'list', '--json'], env);
      expect(run.json.count).toBe(1);
      return run;
    }, 60_000);
    expect(list.code).toBe(5);
    expect(list.json).toEqual({
      status: 'unhealthy',
      topics: [dlqTopic],
      count: 1,
      waiting: 1,
      letters: [
        expect.objectContaining({
          ref: expect.stringMatching(/^\d+:0$/),
          dlqTopic,
          eventType: 'playball.user.registered.v1',
          code: 'HANDLER.FAILED',
          reason: expect.stringContaining('the view refuses this row'),
          origin: { topic: `${prefix}auth.user.v1`, partition: expect.any(Number), offset: expect.any(String) },
          omitted: null,
          replay: null,
        }),
      ],
    });
    const [{ ref, eventId }] = list.json.letters;
    expect((await runOps(['dlq', 'list', '--reason', 'EVENT.NOT_JSON', '--json'], env)).json).toMatchObject({
      status: 'ok',
      count: 0,
    });

    const show = await runOps(['dlq', 'show', ref, '--json'], env);
    expect(show.code).toBe(0);
    expect(show.json.letter.record).toEqual({
      key: poisoned.id,
      value: { userId: poisoned.id, displayName: 'Poison', version: 1, credentialsVersion: 1 },
      headers: expect.objectContaining({ ce_id: eventId, ce_type: 'playball.user.registered.v1' }),
    });
    expect((await runOps(['dlq', 'show', '5:999', '--json'], env)).code).toBe(3);
    expect((await runOps(['dlq', 'list', '--topic', 'no.such.topic'], env)).code).toBe(3);

    const dryRun = await runOps(['dlq', 'replay', ref, '--dry-run', '--json'], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.json).toEqual({
      status: 'ok',
      dryRun: true,
      letters: [{ ref, dlqTopic, eventId, outcome: `would replay to ${prefix}auth.user.v1` }],
    });
    expect(await db.query(`select * from dead_letter_replays`)).toEqual([]);

    // The fix: the view accepts the row again.
    await db.query(`drop trigger poison on users`);
    const replay = await runOps(['dlq', 'replay', ref, '--json'], env);
    expect(replay.code).toBe(0);
    expect(replay.json.letters).toEqual([
      { ref, dlqTopic, eventId, outcome: `replayed to ${prefix}auth.user.v1 (replay 1)` },
    ]);
    await eventually(async () => {
      const [user] = (await db.query(`select display_name, version from users where id = $1`, [
        poisoned.id,
      ])) as object[];
      expect(user).toEqual({ display_name: 'Poison', version: 1 });
    }, 30_000);

    const again = await runOps(['dlq', 'replay', ref, '--json'], env);
    expect(again.code).toBe(6);
    expect(again.json.status).toBe('refused');
    expect(again.json.letters[0].outcome).toMatch(/^refused: replayed 1× already/);
    expect((await runOps(['dlq', 'replay', '--all', '--json'], env)).json).toEqual({
      status: 'ok',
      dryRun: false,
      letters: [],
    });

    // Forced, the record goes out again with the same event id, and the inbox turns it into a no-op.
    const forced = await runOps(['dlq', 'replay', ref, '--force', '--json'], env);
    expect(forced.code).toBe(0);
    expect(forced.json.letters[0].outcome).toMatch(/\(replay 2\)$/);
    await consumerCaughtUp();
    expect(await writesOf(poisoned.id)).toBe(1);
    expect(await db.query(`select count(*)::int as n from inbox where event_id = $1`, [eventId])).toEqual([{ n: 1 }]);

    const after = await runOps(['dlq', 'list', '--json'], env);
    expect(after.code).toBe(0);
    expect(after.json.letters[0].replay).toEqual({
      replays: 2,
      firstReplayedAt: expect.any(String),
      lastReplayedAt: expect.any(String),
    });
  }, 600_000);
});
