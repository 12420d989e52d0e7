import { ACKS_ALL, safeProducerConfig } from './kafka-settings';
import { kafkaProducerClient, kafkaServerOptions } from './nest-transport';

const env = { KAFKA_BROKERS: ['127.0.0.1:9092'], KAFKA_CLIENT_ID: 'group-management' };

describe("Nest's Kafka transport", () => {
  it('gives the inbox server the group id as is, the safe producer and acks from all in-sync replicas', () => {
    const options = kafkaServerOptions(env, 'group-management', { sessionTimeout: 3_000 });
    expect(options.consumer).toMatchObject({
      groupId: 'group-management',
      sessionTimeout: 3_000,
      heartbeatInterval: 1_000,
    });
    expect(options.postfixId).toBe('');
    expect(options.producer).toEqual(safeProducerConfig);
    expect(options.send).toEqual({ acks: ACKS_ALL });
    expect(safeProducerConfig).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
  });

  it("gives the relay's client the same safe producer, producing only", () => {
    const client = kafkaProducerClient(env, 'outbox');
    // ClientKafka keeps its options; read them back rather than connecting to a broker.
    const options = (client as unknown as { options: ReturnType<typeof kafkaServerOptions> }).options;
    expect(options).toMatchObject({ producerOnlyMode: true, producer: safeProducerConfig, send: { acks: ACKS_ALL } });
    expect(options.client?.clientId).toBe('group-management-outbox');
  });
});
