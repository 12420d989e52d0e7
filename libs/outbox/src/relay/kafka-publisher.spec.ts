// The publisher first: it loads what Nest's client module needs (reflect-metadata among it).
import { KafkaOutboxPublisher, MAX_PRODUCERS } from './kafka-publisher';
import { ClientKafka } from '@nestjs/microservices/client/client-kafka';

const kafka = { KAFKA_BROKERS: ['127.0.0.1:1'], KAFKA_CLIENT_ID: 'unit' };

function publisher(partitions: number): KafkaOutboxPublisher {
  return new KafkaOutboxPublisher({ kafka, topicPrefix: 'unit.', partitions, topics: [] });
}

/**
 * The clients' connect(), producer and close() stand in for the broker: each connect answers as
 * `connects` says, in the order the clients call it. An empty publish still builds the pool.
 */
function fakeClients(connects: (n: number) => Promise<void> = () => Promise.resolve()) {
  const connected: ClientKafka[] = [];
  const closed: ClientKafka[] = [];
  jest.spyOn(KafkaOutboxPublisher.prototype, 'ensureTopics').mockResolvedValue();
  jest.spyOn(ClientKafka.prototype, 'connect').mockImplementation(function (this: ClientKafka) {
    connected.push(this);
    return connects(connected.length) as never;
  });
  jest.spyOn(ClientKafka.prototype, 'producer', 'get').mockReturnValue({} as never);
  jest.spyOn(ClientKafka.prototype, 'close').mockImplementation(function (this: ClientKafka) {
    closed.push(this);
    return Promise.resolve();
  });
  return { connected, closed };
}

afterEach(() => jest.restoreAllMocks());

describe("KafkaOutboxPublisher's producers", () => {
  it('opens one producer per partition, at most MAX_PRODUCERS, once until closed', async () => {
    const { connected, closed } = fakeClients();
    const six = publisher(6);
    await six.publish([]);
    await six.publish([]);
    expect(connected).toHaveLength(6);

    const many = publisher(MAX_PRODUCERS * 4);
    await many.publish([]);
    expect(connected).toHaveLength(6 + MAX_PRODUCERS);

    await six.close();
    expect(new Set(closed)).toEqual(new Set(connected.slice(0, 6)));
  });

  it('closes every client when one fails to connect, and builds the whole pool again at the next publish', async () => {
    const { connected, closed } = fakeClients((n) =>
      n === 2 ? Promise.reject(new Error('coordinator is loading')) : Promise.resolve(),
    );
    const three = publisher(3);

    await expect(three.publish([])).rejects.toThrow('coordinator is loading');
    expect(new Set(closed)).toEqual(new Set(connected));
    expect(closed).toHaveLength(3);

    await three.publish([]);
    expect(connected).toHaveLength(6);
    expect(closed).toHaveLength(3);
  });
});
