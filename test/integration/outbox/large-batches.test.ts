import { v7 as uuidv7 } from 'uuid';
import { addToOutbox, event } from '@playball/outbox';
import { eventually } from '../../support/eventually';
import { TopicReader } from '../../support/kafka';
import { publishedEvents, sequencesByKey } from '../../support/events';
import { committedEventIds, unpublishedCount } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';

/**
 * One claim, every event for one key: at about 500 bytes a record (a 100-character display name,
 * the CloudEvents headers) that is 1.5 MB for one partition, over the broker's default
 * `message.max.bytes` (1 MiB) for one record batch. Sent as one, the broker refused it with
 * MESSAGE_TOO_LARGE at every retry and the relay never got past it.
 */
const EVENTS = 3_000;

describe('a claim whose records for one partition outgrow what the broker takes in one batch', () => {
  let testbed: OutboxTestbed;
  let reader: TopicReader;

  beforeAll(async () => {
    testbed = await openOutboxTestbed({ partitions: 1 });
    reader = await testbed.readTopic();
  });

  afterAll(async () => {
    await reader.stop();
    await testbed.close();
  });

  it('is published whole and in order, in sends the broker takes', async () => {
    const userId = uuidv7();
    await testbed.db.transaction((manager) =>
      addToOutbox(
        manager,
        Array.from({ length: EVENTS }, (_, i) =>
          event('playball.user.updated.v1', {
            userId,
            displayName: `${i}`.padStart(100, 'x'),
            version: i + 2,
            credentialsVersion: 1,
          }),
        ),
      ),
    );

    // What one partition's records come to, as the broker counts them give or take their framing.
    const [{ bytes }] = (await testbed.db.query(
      `select sum(octet_length(key) + octet_length(payload::text) + octet_length(headers::text))::int as bytes from outbox`,
    )) as { bytes: number }[];
    expect(bytes).toBeGreaterThan(1024 * 1024);

    // One claim holds them all, whatever the default batch.
    const relay = testbed.relay({ batchSize: 5_000 });
    relay.start();
    try {
      await eventually(async () => expect(await unpublishedCount(testbed.db)).toBe(0), 60_000);
    } finally {
      await relay.stop();
    }

    const events = publishedEvents(await reader.waitForEvents(await committedEventIds(testbed.db), 60_000));
    // Duplicates (a retried send) are dropped by id; each version once, in order.
    expect(sequencesByKey(events).get(userId)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 2));
  });
});
