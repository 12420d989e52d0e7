import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { publishedEvents, sequencesByKey } from '../../support/events';
import { committedEventIds, unpublishedCount } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidgets, renameWidget } from './support/widget';

const WIDGETS = 30;

describe('a mark that fails while the next batch publishes', () => {
  let testbed: OutboxTestbed;
  let reader: TopicReader;

  beforeAll(async () => {
    testbed = await openOutboxTestbed({ partitions: 3 });
    reader = await testbed.readTopic();
  });

  afterAll(async () => {
    await reader.stop();
    await testbed.close();
  });

  /** The first marking UPDATE fails (a sequence is not rolled back with it); later ones pass. */
  async function refuseFirstMark(): Promise<void> {
    await testbed.db.query(`create sequence mark_attempts`);
    await testbed.db.query(`
      create function refuse_first_mark() returns trigger language plpgsql as $$
      begin
        if new.published_at is not null and old.published_at is null and nextval('mark_attempts') = 1 then
          raise exception 'mark refused by the test';
        end if;
        return new;
      end $$`);
    await testbed.db.query(
      `create trigger refuse_first_mark before update on outbox for each row execute function refuse_first_mark()`,
    );
  }

  it('publishes and marks everything in the end, every key in order, the relay running on', async () => {
    await refuseFirstMark();
    const ids = await createWidgets(testbed.db, WIDGETS);
    for (const id of ids) await renameWidget(testbed.db, id, 'renamed');
    // Batches of 10: the first batch's mark fails while the second one publishes.
    const relay = testbed.relay({ batchSize: 10 });
    relay.start();
    try {
      await eventually(async () => expect(await unpublishedCount(testbed.db)).toBe(0), 60_000);
    } finally {
      await relay.stop();
    }

    const [{ attempts }] = (await testbed.db.query(`select last_value::int as attempts from mark_attempts`)) as {
      attempts: number;
    }[];
    expect(attempts).toBeGreaterThan(1);
    const committed = await committedEventIds(testbed.db);
    // The refused mark's batch is published twice.
    const events = publishedEvents(await reader.waitForEvents(committed, 60_000));
    const byKey = sequencesByKey(events);
    for (const id of ids) expect({ id, sequences: byKey.get(id) }).toEqual({ id, sequences: [1, 2] });
  });
});
