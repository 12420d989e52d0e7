import { randomUUID } from 'node:crypto';
import type { Message, Producer, ProducerRecord } from 'kafkajs';
import { CloudEvent } from '@playball/events';
import { CloudEventOf, NonRetryableError } from '@playball/inbox';
import { eventually } from '../../support/eventually';
import { DeliveryLog } from './support/deliveries';
import { deleted, malformedRecord, record, registered, updated } from './support/records';
import { stateBatchHandler, stateHandlers, UserEventType } from './support/test-consumer.module';
import { closeTestbeds, ConsumerOptions, createTestbed, Testbed } from './support/testbed';

const connectionReset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

/** Records for one partition, whatever their keys: sent in one request, they are fetched as one batch. */
const onePartition = (events: CloudEvent[]): Message[] => events.map((e) => ({ ...record(e), partition: 0 }));

async function setup(options: ConsumerOptions = {}) {
  const testbed = await createTestbed();
  const deliveries = new DeliveryLog();
  await testbed.startConsumer({ ...options, onDelivery: deliveries.record });
  return { testbed, deliveries };
}

/** Fails the test unless the events reached the consumer in a single batch, in this order. */
function expectOneBatch(deliveries: DeliveryLog, events: CloudEvent[]) {
  expect(deliveries.batches).toContainEqual(events.map((e) => e.id));
}

async function effectsByUser(testbed: Testbed, userId: string) {
  return (await testbed.effects()).filter((e) => e.user_id === userId).map((e) => [e.version, e.changed]);
}

/** Three users, four versions each, interleaved, with `middle` after the sixth event. */
function streamAround(middle: CloudEvent) {
  const users = [randomUUID(), randomUUID(), randomUUID()];
  const events: CloudEvent[] = [];
  for (let version = 1; version <= 4; version++) {
    for (const userId of users) events.push(version === 1 ? registered(userId, 1) : updated(userId, version));
  }
  return { users, events: [...events.slice(0, 6), middle, ...events.slice(6)], valid: events };
}

async function expectEachAppliedOnce(testbed: Testbed, users: string[], valid: CloudEvent[]) {
  const effects = await testbed.effects();
  expect(effects.map((e) => e.event_id).sort()).toEqual(valid.map((e) => e.id).sort());
  expect((await testbed.inboxEventIds()).sort()).toEqual(valid.map((e) => e.id).sort());
  for (const userId of users) {
    expect(await effectsByUser(testbed, userId)).toEqual([1, 2, 3, 4].map((v) => [v, true]));
  }
}

const refusing = (event: CloudEventOf<UserEventType>) =>
  event.type === 'playball.user.registered.v1' && event.data.displayName === 'refused';

describe('the inbox applying a fetched batch', () => {
  afterEach(closeTestbeds);

  it.each([
    [
      'handlers per event type',
      {
        handlers: {
          ...stateHandlers,
          'playball.user.registered.v1': async (event, manager) => {
            if (refusing(event)) throw new NonRetryableError('USER.NAME_REFUSED', 'this name is refused');
            await stateHandlers['playball.user.registered.v1'](event, manager);
          },
        },
      } satisfies ConsumerOptions,
    ],
    [
      'a set-based handler that cannot say which event failed',
      {
        batchHandler: {
          ...stateBatchHandler,
          apply: async (events, manager) => {
            if (events.some(refusing)) throw new NonRetryableError('USER.NAME_REFUSED', 'a name is refused');
            await stateBatchHandler.apply(events, manager);
          },
        },
      } satisfies ConsumerOptions,
    ],
  ])(
    'dead-letters a poison event in the middle of a batch alone and applies the rest once, in order (%s)',
    async (_, options) => {
      const { testbed, deliveries } = await setup(options);
      const deadLetters = await testbed.readDeadLetters();
      const poison = registered(randomUUID(), 1, 'refused');
      const { users, events, valid } = streamAround(poison);

      await testbed.produce(onePartition(events));

      const [letter] = await deadLetters.waitFor(1);
      expect(letter.headers).toMatchObject({ ce_id: poison.id, dlq_error_code: 'USER.NAME_REFUSED' });
      await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
      expectOneBatch(deliveries, events);
      await expectEachAppliedOnce(testbed, users, valid);
      expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(1);
    },
  );

  it('retries the whole batch after a transient failure in its middle, and applies nothing twice', async () => {
    const calls = new Map<string, number>();
    const flaky = registered(randomUUID(), 1, 'flaky');
    const { testbed, deliveries } = await setup({
      handlers: {
        ...stateHandlers,
        'playball.user.registered.v1': async (event, manager) => {
          calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
          if (event.id === flaky.id && calls.get(event.id) === 1) throw connectionReset();
          await stateHandlers['playball.user.registered.v1'](event, manager);
        },
      },
    });
    const { users, events, valid } = streamAround(flaky);

    await testbed.produce(onePartition(events));

    await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
    expectOneBatch(deliveries, events);
    // The events before the failure ran again with the batch; their first run was rolled back.
    expect([events[0], flaky].map((e) => calls.get(e.id))).toEqual([2, 2]);
    await expectEachAppliedOnce(testbed, users, [...valid, flaky]);
    expect(await effectsByUser(testbed, flaky.subject)).toEqual([[1, true]]);
    expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(0);
  });

  it('sends each dead letter of a batch on its own, one record to one partition per send', async () => {
    const testbed = await createTestbed();
    const { server } = await testbed.startConsumer();
    const producer = server.unwrap<[unknown, unknown, Producer]>()[2];
    const sends: ProducerRecord[] = [];
    const send = producer.send.bind(producer);
    producer.send = (request) => {
      sends.push(request);
      return send(request);
    };
    const deadLetters = await testbed.readDeadLetters();
    // Six keys: their letters spread over the dead-letter topic's partitions.
    const malformed = Array.from({ length: 6 }, (_, i) => ({
      ...malformedRecord('not-json', randomUUID(), `m-${i}`),
      partition: 0,
    }));

    await testbed.produce([...malformed, ...onePartition([registered(randomUUID(), 1)])]);

    await deadLetters.waitFor(6);
    await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
    expect(sends.map((s) => [s.topic, s.messages.length])).toEqual(malformed.map(() => [testbed.deadLetterTopic, 1]));
  });

  it('applies an event delivered three times within one batch once', async () => {
    const { testbed, deliveries } = await setup();
    const userId = randomUUID();
    const [first, second] = [registered(userId, 1), updated(userId, 2)];
    const events = [first, first, second, first];

    await testbed.produce(onePartition(events));

    await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
    expectOneBatch(deliveries, events);
    expect(deliveries.count(first.id)).toBe(3);
    expect((await testbed.effects()).map((e) => e.event_id)).toEqual([first.id, second.id]);
    expect(await testbed.inboxEventIds()).toHaveLength(2);
  });

  it.each([
    ['handlers per event type', {}],
    ['a set-based handler', { batchHandler: stateBatchHandler }],
  ])(
    'applies several events of one user in one batch in their order, as if one after the other (%s)',
    async (_, options: ConsumerOptions) => {
      const { testbed, deliveries } = await setup(options);
      const [ada, bob] = [randomUUID(), randomUUID()];
      const events = [
        registered(ada, 1),
        registered(bob, 1),
        updated(ada, 2),
        updated(bob, 3, 'third'),
        updated(ada, 3, 'third'),
        updated(bob, 2, 'late second'),
        deleted(bob, 4),
        updated(bob, 5, 'after the deletion'),
      ];

      await testbed.produce(onePartition(events));

      await eventually(async () => expect(await testbed.effects()).toHaveLength(events.length));
      expectOneBatch(deliveries, events);
      expect(await effectsByUser(testbed, ada)).toEqual([
        [1, true],
        [2, true],
        [3, true],
      ]);
      expect(await effectsByUser(testbed, bob)).toEqual([
        [1, true],
        [3, true],
        [2, false],
        [4, true],
        [5, false],
      ]);
      expect(await testbed.state(ada)).toEqual({ version: 3, name: 'third', deleted: false });
      expect(await testbed.state(bob)).toEqual({ version: 4, name: null, deleted: true });
    },
  );
});
