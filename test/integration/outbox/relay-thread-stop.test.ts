import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { Topics } from '@playball/events';
import { defaultRelayOptions, RelayThread } from '@playball/outbox';
import { eventually } from '../../support/eventually';
import { unpublishedCount } from './support/relay';
import { openOutboxTestbed, OutboxTestbed } from './support/testbed';
import { createWidgets } from './support/widget';

// The thread's publish hangs on a broker that never answers; the test waits for stop() to end it.
jest.setTimeout(30_000);

describe("the relay thread's stop", () => {
  let testbed: OutboxTestbed;
  let broker: Server;
  const connections: Socket[] = [];

  beforeAll(async () => {
    testbed = await openOutboxTestbed();
    // Accepts connections and never answers: a broker hung or behind a partition that drops replies.
    broker = createServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => broker.close(resolve));
    await testbed.close();
  });

  it('ends a thread whose batch in flight does not finish in time, leaving the batch to be published again', async () => {
    const relay = new RelayThread({
      kafka: { KAFKA_BROKERS: [`127.0.0.1:${(broker.address() as AddressInfo).port}`], KAFKA_CLIENT_ID: 'stop-test' },
      topicPrefix: testbed.prefix,
      partitions: 3,
      topics: [Topics.user],
      relay: { ...defaultRelayOptions, service: 'widgets', databaseUrl: testbed.database.url, pollIntervalMs: 100 },
      poolSize: 2,
      statementTimeoutMs: 5_000,
      log: { service: 'stop-test', level: 'error', format: 'json' },
      stopTimeoutMs: 500,
    });
    await createWidgets(testbed.db, 2);
    await relay.start();
    // The relay claimed the rows and is publishing them: its Kafka client waits on the silent broker
    // (kafkajs's 10 s request timeout, retried).
    await eventually(() => expect(connections.length).toBeGreaterThan(0));

    const outcome = await Promise.race([
      relay.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(resolve, 5_000, 'still stopping after 5 s')),
    ]);

    expect(outcome).toBe('stopped');
    expect(await unpublishedCount(testbed.db)).toBe(2);
  });
});
