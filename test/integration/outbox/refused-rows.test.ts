import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createEvent, toKafkaHeaders } from '@playball/events';
import { addEvent, OutboxRelay } from '@playball/outbox';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';

interface RowState {
  published: boolean;
  attempts: number;
  last_error: string | null;
}

async function rowOf(db: DataSource, eventId: string): Promise<RowState> {
  const [row] = (await db.query(
    `select published_at is not null as published, attempts, last_error from outbox where event_id = $1`,
    [eventId],
  )) as RowState[];
  return row;
}

/** Publishes the user topic only, as auth's relay does. */
describe('the relay refuses rows this service may not publish', () => {
  let testbed: OutboxTestbed;
  let relay: OutboxRelay;
  let reader: TopicReader;

  beforeEach(async () => {
    testbed = await openOutboxTestbed();
    reader = await testbed.readTopic();
    relay = testbed.relay();
  });

  afterEach(async () => {
    await relay.stop();
    await reader.stop();
    await testbed.close();
  });

  it('holds back an event of a topic the service does not own (OUTBOX.FOREIGN_TOPIC), saying why on the row', async () => {
    const group = { groupId: randomUUID(), reason: 'deleted-by-admin' as const, version: 1 };
    await testbed.db.transaction((manager) => addEvent(manager, 'playball.group.deleted.v1', group));
    const [{ event_id: eventId }] = (await testbed.db.query(`select event_id from outbox`)) as { event_id: string }[];

    relay.start();

    await eventually(async () => expect((await rowOf(testbed.db, eventId)).attempts).toBeGreaterThanOrEqual(1));
    const row = await rowOf(testbed.db, eventId);
    expect(row.published).toBe(false);
    expect(row.last_error).toMatch(/^OUTBOX\.FOREIGN_TOPIC: /);
  });

  it('holds back a row whose event type belongs on another topic (EVENT.WRONG_TOPIC), and publishes none of its batch', async () => {
    // As a hand-written fix or a script might insert it: the group event filed under the user topic.
    const misplaced = createEvent('playball.group.deleted.v1', {
      groupId: randomUUID(),
      reason: 'deleted-by-admin',
      version: 1,
    });
    const userId = randomUUID();
    const valid = createEvent('playball.user.registered.v1', { userId, displayName: 'Ada', version: 1 });
    for (const [event, topic] of [
      [misplaced, 'auth.user.v1'],
      [valid, 'auth.user.v1'],
    ] as const) {
      await testbed.db.query(
        `insert into outbox (event_id, topic, key, type, headers, payload) values ($1, $2, $3, $4, $5, $6)`,
        [event.id, topic, event.subject, event.type, JSON.stringify(toKafkaHeaders(event)), JSON.stringify(event.data)],
      );
    }

    relay.start();

    await eventually(async () => expect((await rowOf(testbed.db, misplaced.id)).attempts).toBeGreaterThanOrEqual(2));
    expect((await rowOf(testbed.db, misplaced.id)).last_error).toMatch(/^EVENT\.WRONG_TOPIC: /);
    expect(await rowOf(testbed.db, valid.id)).toMatchObject({ published: false });
    expect(reader.records).toEqual([]);
  });
});
