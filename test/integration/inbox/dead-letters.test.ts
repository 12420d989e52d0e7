import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type Message } from 'kafkajs';
import { deadLetterRetentionMs } from '@playball/events';
import { NonRetryableError } from '@playball/inbox';
import { eventually } from '../../support/eventually';
import {
  expectedCode,
  malformedKinds,
  malformedRecord,
  MalformedKind,
  record,
  registered,
  updated,
} from './support/records';
import { withAdmin } from '../../support/kafka';
import { closeTestbeds, ConsumerOptions, createTestbed } from './support/testbed';
import { stateHandlers } from './support/test-consumer.module';

async function setup(options: ConsumerOptions = {}) {
  const testbed = await createTestbed();
  await testbed.startConsumer(options);
  const deadLetters = await testbed.readDeadLetters();
  return { testbed, deadLetters };
}

/** 100 versions for each of 10 users, interleaved, with a malformed record after every 10th valid one. */
function mixedStream() {
  const users = Array.from({ length: 10 }, () => randomUUID());
  const messages: Message[] = [];
  const malformed = new Map<string, { kind: MalformedKind; message: Message }>();
  for (let version = 1; version <= 100; version++) {
    for (const [u, userId] of users.entries()) {
      messages.push(record(version === 1 ? registered(userId, 1) : updated(userId, version)));
      const n = (version - 1) * users.length + u;
      if (n % 10 === 9) {
        const kind = malformedKinds[malformed.size % malformedKinds.length];
        const marker = `m-${malformed.size}`;
        const message = malformedRecord(kind, userId, marker);
        malformed.set(marker, { kind, message });
        messages.push(message);
      }
    }
  }
  return { users, messages, malformed };
}

describe('the inbox against records it can never process', () => {
  afterEach(closeTestbeds);

  it('dead-letters exactly the 100 malformed records among 1,000 valid ones, applies the valid ones, and keeps per-key order', async () => {
    const { testbed, deadLetters } = await setup();
    const { users, messages, malformed } = mixedStream();
    expect(malformed.size).toBe(100);
    const startedAt = Date.now();

    await testbed.produce(messages);

    await eventually(async () => expect(await testbed.effects()).toHaveLength(1_000), 60_000);
    const letters = await deadLetters.waitFor(100);
    expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(100);
    for (const letter of letters) {
      const { kind, message } = malformed.get(letter.headers['x-test-marker'])!;
      expect(letter.key).toBe(message.key);
      expect(letter.value?.toString()).toBe(message.value);
      expect(letter.headers).toMatchObject(message.headers as Record<string, string>);
      expect(letter.headers.dlq_error_code).toBe(expectedCode[kind]);
      expect(letter.headers.dlq_error_reason).not.toBe('');
      expect(Date.parse(letter.headers.dlq_first_failure_time)).toBeGreaterThanOrEqual(startedAt - 1_000);
    }
    const effects = await testbed.effects();
    expect(effects.every((e) => e.changed)).toBe(true);
    expect(new Set(await testbed.inboxEventIds()).size).toBe(1_000);
    for (const userId of users) {
      const seen = effects.filter((e) => e.user_id === userId).map((e) => e.version);
      expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
  }, 90_000);

  it("creates the dead-letter topic with the contract's retention, so no letter outlives it", async () => {
    const { testbed } = await setup();
    const { resources } = await withAdmin((admin) =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: testbed.deadLetterTopic,
            configNames: ['retention.ms', 'cleanup.policy', 'segment.ms'],
          },
        ],
      }),
    );
    const config = Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    expect(config).toEqual({
      'retention.ms': String(deadLetterRetentionMs),
      'cleanup.policy': 'delete',
      'segment.ms': String(24 * 60 * 60 * 1000),
    });
  });

  it('dead-letters a record byte for byte, even when its key and headers look like JSON', async () => {
    const { testbed, deadLetters } = await setup();
    const odd: Message = {
      key: '{"not":"a user id"}',
      value: Buffer.from([0x7b, 0xff, 0x00, 0x22]),
      headers: { ...(record(registered(randomUUID(), 1)).headers as Record<string, string>), 'x-context': '{"a":1}' },
    };
    const later = registered(randomUUID(), 1);

    await testbed.produce([odd, record(later)]);

    const [letter] = await deadLetters.waitFor(1);
    expect(letter.key).toBe(odd.key);
    expect(letter.value).toEqual(odd.value);
    expect(letter.headers).toMatchObject({
      ...(odd.headers as Record<string, string>),
      dlq_error_code: 'EVENT.NOT_JSON',
    });
    await eventually(async () => expect((await testbed.effects()).map((e) => e.event_id)).toEqual([later.id]));
  });

  it('dead-letters a record too large for the dead-letter topic without its value, then without its headers, and moves on', async () => {
    const testbed = await createTestbed();
    // A dead-letter topic that takes 4 KiB records: each malformed record below is bigger once the
    // dlq_* headers are added, one in its value, one in its headers.
    await withAdmin((admin) =>
      admin.createTopics({
        topics: [{ topic: testbed.deadLetterTopic, configEntries: [{ name: 'max.message.bytes', value: '4096' }] }],
        waitForLeaders: true,
      }),
    );
    await testbed.startConsumer();
    const deadLetters = await testbed.readDeadLetters();
    const bigValue = malformedRecord('not-json', randomUUID(), 'big-value');
    bigValue.value = `${bigValue.value as string}${'x'.repeat(5_000)}`;
    const bigHeader = malformedRecord('not-json', randomUUID(), 'big-header');
    bigHeader.headers = { ...bigHeader.headers, 'x-context': 'y'.repeat(5_000) };
    const later = registered(randomUUID(), 1);

    await testbed.produce([bigValue, bigHeader, record(later)]);

    // Two keys, so possibly two partitions of the dead-letter topic: matched by key, not by order.
    const letters = await deadLetters.waitFor(2);
    const byKey = new Map(letters.map((l) => [l.key, l]));
    const [valueless, headerless] = [byKey.get(bigValue.key as string)!, byKey.get(bigHeader.key as string)!];
    expect([valueless, headerless].map((l) => [l.value, l.headers.dlq_omitted, l.headers.dlq_error_code])).toEqual([
      [null, 'value', 'EVENT.NOT_JSON'],
      [null, 'value, headers', 'EVENT.NOT_JSON'],
    ]);
    expect(valueless.headers).toMatchObject({ 'x-test-marker': 'big-value', ce_id: expect.any(String) });
    expect(headerless.headers['x-test-marker']).toBeUndefined();
    // Where the original can still be read.
    expect(headerless.headers).toMatchObject({
      dlq_original_topic: testbed.topic,
      dlq_original_offset: expect.stringMatching(/^\d+$/),
    });
    await eventually(async () => expect((await testbed.effects()).map((e) => e.event_id)).toEqual([later.id]));
  });

  it('dead-letters an event whose handler throws NonRetryableError, with the error code, and moves on', async () => {
    const { testbed, deadLetters } = await setup({
      handlers: {
        ...stateHandlers,
        'playball.user.registered.v1': async (event, manager) => {
          if (event.data.displayName === 'refused')
            throw new NonRetryableError('USER.NAME_REFUSED', 'this name is refused');
          await stateHandlers['playball.user.registered.v1'](event, manager);
        },
      },
    });
    const refused = registered(randomUUID(), 1, 'refused');
    const accepted = registered(randomUUID(), 1, 'accepted');

    await testbed.produce([record(refused), record(accepted)]);

    const [letter] = await deadLetters.waitFor(1);
    expect(letter.key).toBe(refused.subject);
    expect(letter.value?.toString()).toBe(JSON.stringify(refused.data));
    expect(letter.headers).toMatchObject({
      ce_id: refused.id,
      dlq_error_code: 'USER.NAME_REFUSED',
      dlq_error_reason: 'this name is refused',
    });
    await eventually(async () => expect((await testbed.effects()).map((e) => e.event_id)).toEqual([accepted.id]));
    expect(await testbed.inboxEventIds()).toEqual([accepted.id]);
  });

  it('dead-letters an event whose handler keeps failing with an unclassified error, after the configured attempts', async () => {
    const attempts = { count: 0 };
    const { testbed, deadLetters } = await setup({
      inbox: { maxUnclassifiedAttempts: 3 },
      handlers: {
        ...stateHandlers,
        'playball.user.registered.v1': async () => {
          attempts.count++;
          throw new TypeError("Cannot read properties of undefined (reading 'id')");
        },
      },
    });
    const broken = registered(randomUUID(), 1);
    const later = updated(randomUUID(), 2);

    await testbed.produce([record(broken), record(later)]);

    const [letter] = await deadLetters.waitFor(1);
    expect(letter.headers).toMatchObject({ ce_id: broken.id, dlq_error_code: 'HANDLER.FAILED' });
    expect(letter.headers.dlq_error_reason).toContain('reading');
    expect(attempts.count).toBe(3);
    await eventually(async () => expect((await testbed.effects()).map((e) => e.event_id)).toEqual([later.id]));
  });
});
