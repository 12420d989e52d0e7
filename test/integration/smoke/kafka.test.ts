import { TopicReader, kafka, uniqueName, withAdmin } from '../../support/kafka';

describe('the Kafka broker', () => {
  it('carries a produced message to a consumer', async () => {
    const topic = uniqueName('smoke');
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const reader = await new TopicReader([topic]).start();
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'hello', headers: { h: 'v' } }] });
      const [record] = await reader.waitFor(1);
      expect(record).toMatchObject({ topic, key: 'k', headers: { h: 'v' } });
      expect(record.value?.toString()).toBe('hello');
    } finally {
      await producer.disconnect();
      await reader.stop();
    }
  });
});
