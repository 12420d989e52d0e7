import { topicReplication } from './topic-replication';

describe('topicReplication', () => {
  const env = (brokers: number, more: object = {}) => ({
    KAFKA_BROKERS: Array.from({ length: brokers }, (_, i) => `127.0.0.1:${29092 + i}`),
    KAFKA_CLIENT_ID: 'test',
    ...more,
  });

  it('keeps one copy on one broker and three, two of them in sync, on a cluster', () => {
    expect(topicReplication(env(1))).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
    expect(topicReplication(env(3))).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(topicReplication(env(5))).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('takes what the environment sets over the defaults', () => {
    const configured = env(1, { KAFKA_REPLICATION_FACTOR: 3, KAFKA_MIN_INSYNC_REPLICAS: 3 });
    expect(topicReplication(configured)).toEqual({ replicationFactor: 3, minInsyncReplicas: 3 });
    expect(topicReplication(env(1, { KAFKA_REPLICATION_FACTOR: 5 }))).toEqual({
      replicationFactor: 5,
      minInsyncReplicas: 4,
    });
  });
});
