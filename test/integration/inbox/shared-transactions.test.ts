import { randomUUID } from 'node:crypto';
import type { Message } from 'kafkajs';
import { CloudEvent } from '@playball/events';
import { BatchHandler, CloudEventOf, NonRetryableError } from '@playball/inbox';
import { eventually } from '../../support/eventually';
import { deferred, DeliveryLog } from './support/deliveries';
import { record, registered, updated } from './support/records';
import { stateBatchHandler, stateHandlers, UserEventType } from './support/test-consumer.module';
import { closeTestbeds, ConsumerOptions, createTestbed, Testbed } from './support/testbed';

const inPartition = (partition: number, events: CloudEvent[]): Message[] =>
  events.map((e) => ({ ...record(e), partition }));

/** stateBatchHandler, noting the transaction each event was applied in; refuses the name 'refused'. */
function recordingHandler(transactions: Map<string, string>): BatchHandler<UserEventType> {
  return {
    types: stateBatchHandler.types,
    apply: async (events, manager) => {
      const [{ txid }] = (await manager.query(`select txid_current()::text as txid`)) as { txid: string }[];
      for (const event of events) transactions.set(event.id, txid);
      if (events.some(refused)) throw new NonRetryableError('USER.NAME_REFUSED', 'a name is refused');
      await stateBatchHandler.apply(events, manager);
    },
  };
}

const refused = (event: CloudEventOf<UserEventType>) =>
  event.type === 'playball.user.registered.v1' && event.data.displayName === 'refused';

/**
 * Starts the consumer and holds it on a first event (partition 0) while `messages` are produced, so
 * that its next fetch brings them all at once, a batch per partition.
 */
async function deliverInOneFetch(
  testbed: Testbed,
  handling: BatchHandler<UserEventType> | ConsumerOptions,
  messages: Message[],
) {
  const deliveries = new DeliveryLog();
  const holding = registered(randomUUID(), 1, 'holding');
  const held = deferred();
  const release = deferred();
  await testbed.startConsumer({
    ...('apply' in handling ? { batchHandler: handling } : handling),
    onDelivery: deliveries.record,
    afterConsume: async (context) => {
      if (context.getMessages().some((m) => m.headers?.ce_id?.toString() === holding.id)) {
        held.resolve();
        await release.promise;
      }
    },
  });
  await testbed.produce(inPartition(0, [holding]));
  await held.promise;
  await testbed.produce(messages);
  release.resolve();
  await eventually(async () => expect(await testbed.committedToEnd()).toBe(true));
  return deliveries;
}

describe('the inbox applying the batches of one fetch (one per partition) together', () => {
  afterEach(closeTestbeds);

  it('applies them in one transaction', async () => {
    const testbed = await createTestbed();
    const transactions = new Map<string, string>();
    const [ada, bob, cy] = [randomUUID(), randomUUID(), randomUUID()];
    const events = [
      inPartition(0, [registered(ada, 1), updated(ada, 2)]),
      inPartition(1, [registered(bob, 1)]),
      inPartition(2, [registered(cy, 1), updated(cy, 2), updated(cy, 3)]),
    ];

    const deliveries = await deliverInOneFetch(testbed, recordingHandler(transactions), events.flat());

    // Three batches (the partitions), after the one that held the consumer.
    expect(
      deliveries.batches
        .slice(1)
        .map((ids) => ids.length)
        .sort(),
    ).toEqual([1, 2, 3]);
    const ids = deliveries.batches.slice(1).flat();
    expect(new Set(ids.map((id) => transactions.get(id))).size).toBe(1);
    expect(await testbed.state(ada)).toMatchObject({ version: 2 });
    expect(await testbed.state(bob)).toMatchObject({ version: 1 });
    expect(await testbed.state(cy)).toMatchObject({ version: 3 });
    expect((await testbed.inboxEventIds()).sort()).toEqual([...ids, deliveries.batches[0][0]].sort());
  });

  it('dead-letters a poison event of one batch alone and applies the other batches once', async () => {
    const testbed = await createTestbed();
    const transactions = new Map<string, string>();
    const [ada, bob] = [randomUUID(), randomUUID()];
    const poison = registered(randomUUID(), 1, 'refused');
    const valid = [registered(ada, 1), updated(ada, 2), registered(bob, 1)];

    await deliverInOneFetch(testbed, recordingHandler(transactions), [
      ...inPartition(0, valid.slice(0, 2)),
      ...inPartition(1, [poison]),
      ...inPartition(2, valid.slice(2)),
    ]);

    // From the beginning of the dead-letter topic, which the consumer created.
    const [letter] = await (await testbed.readDeadLetters()).waitFor(1);
    expect(letter.headers).toMatchObject({ ce_id: poison.id, dlq_error_code: 'USER.NAME_REFUSED' });
    expect(await testbed.state(ada)).toMatchObject({ version: 2 });
    expect(await testbed.state(bob)).toMatchObject({ version: 1 });
    // Each valid event applied once, the poison never (the first effect is the holding event's).
    const effects = (await testbed.effects()).slice(1);
    expect(effects.map((e) => e.event_id).sort()).toEqual(valid.map((e) => e.id).sort());
    expect(await testbed.recordCount(testbed.deadLetterTopic)).toBe(1);
  });

  it('applies an event that two batches of the fetch carry once', async () => {
    const testbed = await createTestbed();
    const transactions = new Map<string, string>();
    const ada = randomUUID();
    const twice = registered(ada, 1);

    const deliveries = await deliverInOneFetch(testbed, recordingHandler(transactions), [
      ...inPartition(0, [twice]),
      ...inPartition(1, [twice, updated(ada, 2)]),
    ]);

    expect(deliveries.count(twice.id)).toBe(2);
    expect((await testbed.effects()).filter((e) => e.user_id === ada).map((e) => e.version)).toEqual([1, 2]);
    expect(await testbed.state(ada)).toMatchObject({ version: 2 });
  });

  it('counts the failed shared transaction as the first attempt of the event it names', async () => {
    const testbed = await createTestbed();
    const attempts = { count: 0 };
    const broken = registered(randomUUID(), 1, 'broken');
    const later = registered(randomUUID(), 1);

    await deliverInOneFetch(
      testbed,
      {
        inbox: { maxUnclassifiedAttempts: 3 },
        handlers: {
          ...stateHandlers,
          'playball.user.registered.v1': async (event, manager) => {
            if (event.id !== broken.id) return stateHandlers['playball.user.registered.v1'](event, manager);
            attempts.count++;
            throw new TypeError("Cannot read properties of undefined (reading 'id')");
          },
        },
      },
      [...inPartition(0, [broken]), ...inPartition(1, [later])],
    );

    const [letter] = await (await testbed.readDeadLetters()).waitFor(1);
    expect(letter.headers).toMatchObject({ ce_id: broken.id, dlq_error_code: 'HANDLER.FAILED' });
    expect(attempts.count).toBe(3);
    expect(await testbed.state(later.subject)).toMatchObject({ version: 1 });
  });

  it('applies the batches of a failed shared transaction one at a time', async () => {
    const testbed = await createTestbed();
    const running = { now: 0, most: 0 };
    const handler = recordingHandler(new Map());
    const counting: BatchHandler<UserEventType> = {
      types: handler.types,
      apply: async (events, manager) => {
        running.most = Math.max(running.most, ++running.now);
        try {
          // A slow handler (100 ms of work per batch): batches run together would overlap in it.
          await new Promise((resolve) => setTimeout(resolve, 100));
          await handler.apply(events, manager);
        } finally {
          running.now--;
        }
      },
    };

    await deliverInOneFetch(testbed, counting, [
      ...inPartition(0, [registered(randomUUID(), 1)]),
      ...inPartition(1, [registered(randomUUID(), 1, 'refused')]),
      ...inPartition(2, [registered(randomUUID(), 1)]),
    ]);

    await (await testbed.readDeadLetters()).waitFor(1);
    // One pooled connection for them: never two batches in their transactions at once.
    expect(running.most).toBe(1);
  });
});
