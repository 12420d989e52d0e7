import type { Consumer, Kafka } from 'kafkajs';
import { eventually } from '../../support/eventually';
import { closeTestbeds, createTestbed } from './support/testbed';

describe('the inbox consumer after a crash kafkajs does not recover from', () => {
  afterEach(closeTestbeds);

  it('is started again, with a new consumer each time, and reported down meanwhile', async () => {
    const testbed = await createTestbed();
    // Below the broker's group.min.session.timeout.ms (6 s): every join fails with
    // INVALID_SESSION_TIMEOUT, an error kafkajs does not retry, so it stops the consumer for good.
    const { server } = await testbed.startConsumer({ sessionTimeout: 3_000, joined: false });

    const [client, first] = server.unwrap<[Kafka, Consumer | null]>();
    const consumers = new Set<Consumer>(first ? [first] : []);
    // Every start makes its consumer through the client. Looking at the server now and then missed
    // some: a consumer lives only for its failed join, tens of milliseconds.
    const createConsumer = client.consumer.bind(client);
    client.consumer = (config) => {
      const consumer = createConsumer(config);
      consumers.add(consumer);
      return consumer;
    };
    await eventually(async () => {
      expect(consumers.size).toBeGreaterThanOrEqual(3);
      // /health says why in a fixed word; the error itself is kept for the log (and this test).
      expect(await server.consumerStatus.check()).toEqual({ status: 'down', reason: 'crashed' });
      expect(server.consumerStatus.lastError).toMatch(/session timeout/i);
    }, 30_000);
  });
});
