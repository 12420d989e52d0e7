import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { deadLetterTopicName, Topics, topicName } from '@playball/events';
import { addToOutbox, event } from '@playball/outbox';
import { assertThreeNodeCluster, busiestPartition, leaderOf, node, waitForFullIsr } from '../support/cluster';
import { eventually } from '../support/eventually';
import { publishedEvents, sequencesByKey } from '../support/events';
import { TopicReader, withAdmin } from '../support/kafka';
import { System } from '../support/system';
import { longestStall } from './stalls';

// 2,500 users x 20 versions = 50,000 user events, fed in 20 rounds (one version of every user per
// round) 2 s apart, so that the relay is still publishing when the faults come.
const USERS = 2_500;
const VERSIONS = 20;
const ROUND_MS = 2_000;
const FIRST_FAULT_MS = 8_000;
const SECOND_FAULT_MS = 26_000;
const SECOND_OUTAGE_MS = 5_000;

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a three-node cluster losing a partition leader while the relay publishes', () => {
  const system = new System();
  const timeline: string[] = [];
  let started = 0;
  const note = (what: string) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1)} s  ${what}`);

  afterAll(async () => {
    for (const id of [1, 2, 3]) node('start', id); // idempotent: a failed run must not leave a node down
    await system.stop();
  });

  /** Commits every round of events into auth's outbox, as auth's own writes would. */
  async function feed(): Promise<void> {
    const db = await new DataSource({ type: 'postgres', url: system.authDatabaseUrl, extra: { max: 1 } }).initialize();
    try {
      const users = Array.from({ length: USERS }, () => uuidv7());
      for (let version = 1; version <= VERSIONS; version++) {
        const wait = started + (version - 1) * ROUND_MS - Date.now();
        if (wait > 0) await pause(wait); // the feeding pace, not a wait for a condition
        const entries = users.map((userId, i) =>
          event(version === 1 ? 'playball.user.registered.v1' : 'playball.user.updated.v1', {
            userId,
            displayName: `Player ${i} v${version}`,
            version,
          }),
        );
        await db.transaction((manager) => addToOutbox(manager, entries));
      }
      note(`all ${USERS * VERSIONS} events committed`);
    } finally {
      await db.destroy();
    }
  }

  async function injectFaults(userTopic: string): Promise<void> {
    await pause(started + FIRST_FAULT_MS - Date.now());
    const partition = await busiestPartition(userTopic);
    const first = await leaderOf(userTopic, partition);
    node('kill', first);
    note(`SIGKILL node ${first}, leader of busy partition ${partition}`);
    node('start', first);
    note(`node ${first} restarted`);
    await waitForFullIsr([userTopic]);
    note('every replica in sync again');

    await pause(started + SECOND_FAULT_MS - Date.now());
    const leader = await leaderOf(userTopic, await busiestPartition(userTopic));
    const second = leader !== first ? leader : (first % 3) + 1;
    node('stop', second);
    note(`node ${second} stopped (SIGTERM)`);
    await pause(SECOND_OUTAGE_MS); // the outage's length, not a wait for a condition
    node('start', second);
    note(`node ${second} restarted`);
  }

  it('loses nothing, applies nothing twice, keeps per-user order, and carries on without a restart', async () => {
    await assertThreeNodeCluster();
    await system.start();
    const userTopic = topicName(Topics.user.name, system.prefix);
    const [auth, groups] = [system.auth, system.groups];

    started = Date.now();
    await Promise.all([feed(), injectFaults(userTopic)]);
    const total = USERS * VERSIONS;
    // Waits for convergence, but reports what it finds either way: a loss shows in the figures below.
    await eventually(
      async () => {
        const [{ unpublished }] = await query<{ unpublished: number }>(
          system.authDatabaseUrl,
          'select count(*)::int as unpublished from outbox where published_at is null',
        );
        const [{ applied }] = await query<{ applied: number }>(
          system.groupsDatabaseUrl,
          'select count(*)::int as applied from inbox',
        );
        if (unpublished > 0 || applied < total)
          throw new Error(`${unpublished} unpublished, ${applied} of ${total} applied`);
      },
      120_000,
      500,
    ).then(
      () => note('every event published and applied'),
      (error: Error) => note(`not converged: ${error.message}`),
    );

    // The apps were never restarted: the same processes carried on through both faults.
    expect({ auth: auth.running, groups: groups.running }).toEqual({ auth: true, groups: true });

    const outbox = await query<{ event_id: string; created: number; published: number }>(
      system.authDatabaseUrl,
      `select event_id, extract(epoch from created_at) * 1000 as created, extract(epoch from published_at) * 1000 as published
         from outbox`,
    );
    const inbox = await query<{ event_id: string; processed: number }>(
      system.groupsDatabaseUrl,
      'select event_id, extract(epoch from processed_at) * 1000 as processed from inbox',
    );
    const view = await query<{ version: number; n: number }>(
      system.groupsDatabaseUrl,
      'select version, count(*)::int as n from users group by version',
    );
    const dlq = deadLetterTopicName(userTopic, system.consumerGroup);
    const onTopic = await withAdmin(async (admin) =>
      (await admin.fetchTopicOffsets(userTopic)).reduce((sum, p) => sum + Number(p.high), 0),
    );
    const deadLetters = await withAdmin(async (admin) =>
      (await admin.fetchTopicOffsets(dlq)).reduce((sum, p) => sum + Number(p.high), 0),
    );
    const reader = await new TopicReader([userTopic]).start();
    const events = publishedEvents(await reader.waitFor(onTopic, () => true, 120_000));
    await reader.stop();

    const published = new Map(outbox.map((r) => [r.event_id, Number(r.published)]));
    const publishing = longestStall(outbox.map((r) => ({ readyAt: Number(r.created), doneAt: Number(r.published) })));
    const applying = longestStall(
      inbox.map((r) => ({ readyAt: published.get(r.event_id) ?? 0, doneAt: Number(r.processed) })),
    );
    const onWire = new Set(events.map((e) => e.id));
    const outOfOrder = [...sequencesByKey(events)].filter(
      ([, sequences]) => sequences.join() !== Array.from({ length: VERSIONS }, (_, i) => i + 1).join(),
    );
    console.log(
      [
        `cluster failover: ${total} events, ${USERS} users`,
        ...timeline,
        `publishing stalled at most ${(publishing.ms / 1000).toFixed(1)} s (ending ${((publishing.endedAt - started) / 1000).toFixed(1)} s in)`,
        `applying stalled at most ${(applying.ms / 1000).toFixed(1)} s (ending ${((applying.endedAt - started) / 1000).toFixed(1)} s in)`,
        `on the topic: ${events.length} records, ${onWire.size} distinct (${events.length - onWire.size} duplicates); dead letters ${deadLetters}`,
      ].join('\n  '),
    );

    const missingOnWire = outbox.filter((r) => !onWire.has(r.event_id)).length;
    const applied = new Set(inbox.map((r) => r.event_id));
    expect({
      outboxRows: outbox.length,
      missingOnWire,
      appliedRows: inbox.length,
      appliedDistinct: applied.size,
      notApplied: outbox.filter((r) => !applied.has(r.event_id)).length,
      deadLetters,
      outOfOrder: outOfOrder.slice(0, 3),
      view,
    }).toEqual({
      outboxRows: total,
      missingOnWire: 0,
      appliedRows: total,
      appliedDistinct: total,
      notApplied: 0,
      deadLetters: 0,
      outOfOrder: [],
      view: [{ version: VERSIONS, n: USERS }],
    });
  }, 420_000);
});
