import { v7 as uuidv7 } from 'uuid';
import { addToOutbox, event } from '@playball/outbox';
import { eventually } from '../../support/eventually';
import { TopicReader, withAdmin } from '../../support/kafka';
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

/** Every event of one claim for one user, each about 500 bytes with its headers. */
function renames(userId: string, count: number) {
  return Array.from({ length: count }, (_, i) =>
    event('playball.user.updated.v1', {
      userId,
      displayName: `${i}`.padStart(100, 'x'),
      version: i + 2,
      credentialsVersion: 1,
    }),
  );
}

/**
 * Commits `count` renames of one user in one transaction, lets the relay publish them in one claim
 * (whatever the default batch), and returns what they come to in bytes, as the broker counts them
 * give or take their framing, and the user's versions as read back from the topic (duplicates of a
 * retried send dropped by id).
 */
async function publishOneUsersRenames(testbed: OutboxTestbed, reader: TopicReader, count: number) {
  const userId = uuidv7();
  await testbed.db.transaction((manager) => addToOutbox(manager, renames(userId, count)));
  const [{ bytes }] = (await testbed.db.query(
    `select sum(octet_length(key) + octet_length(payload::text) + octet_length(headers::text))::int as bytes from outbox`,
  )) as { bytes: number }[];

  const relay = testbed.relay({ batchSize: 5_000 });
  relay.start();
  try {
    await eventually(async () => expect(await unpublishedCount(testbed.db)).toBe(0), 60_000);
  } finally {
    await relay.stop();
  }

  const events = publishedEvents(await reader.waitForEvents(await committedEventIds(testbed.db), 60_000));
  return { bytes, versions: sequencesByKey(events).get(userId) };
}

/** Versions 2 to count + 1, each once, in order. */
const inOrder = (count: number) => Array.from({ length: count }, (_, i) => i + 2);

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
    const { bytes, versions } = await publishOneUsersRenames(testbed, reader, EVENTS);

    expect(bytes).toBeGreaterThan(1024 * 1024);
    expect(versions).toEqual(inOrder(EVENTS));
  });
});

/**
 * A topic an operator set to take less than the broker's default (`max.message.bytes`, left as it
 * is): 1,000 events of one key, about 500 KB, against 100,000 bytes a batch. Sent in sends sized for
 * the default, every send was refused with MESSAGE_TOO_LARGE.
 */
describe("a topic whose max.message.bytes is below the broker's default", () => {
  const LIMITED_EVENTS = 1_000;
  let testbed: OutboxTestbed;
  let reader: TopicReader;

  beforeAll(async () => {
    testbed = await openOutboxTestbed({ partitions: 1, createTopics: false });
    await withAdmin((admin) =>
      admin.createTopics({
        topics: [
          {
            topic: testbed.topic,
            numPartitions: 1,
            configEntries: [{ name: 'max.message.bytes', value: '100000' }],
          },
        ],
      }),
    );
    reader = await testbed.readTopic();
  });

  afterAll(async () => {
    await reader.stop();
    await testbed.close();
  });

  it('gets its events whole and in order, in sends that topic takes', async () => {
    const { bytes, versions } = await publishOneUsersRenames(testbed, reader, LIMITED_EVENTS);

    expect(bytes).toBeGreaterThan(4 * 100_000);
    expect(versions).toEqual(inOrder(LIMITED_EVENTS));
  });
});
