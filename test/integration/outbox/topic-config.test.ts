import { ConfigResourceTypes } from 'kafkajs';
import { Topics, topicName } from '@playball/events';
import { ensureTopics, topicReplication } from '@playball/platform/kafka';
import { kafkaBrokers } from '../../support/infrastructure';
import { eventually } from '../../support/eventually';
import { kafka, uniqueName, withAdmin } from '../../support/kafka';

/** 1/1 against one broker, 3/2 against the three-node cluster (KAFKA_BROKERS lists three). */
const replication = topicReplication({ KAFKA_BROKERS: kafkaBrokers, KAFKA_CLIENT_ID: 'test' });

async function minInsyncReplicas(name: string): Promise<string | undefined> {
  const { resources } = await eventually(() =>
    withAdmin((admin) =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['min.insync.replicas'] }],
      }),
    ),
  );
  return resources[0].configEntries[0]?.configValue;
}

describe('ensureTopics', () => {
  const contract = [{ spec: Topics.user, partitions: 3 }];

  it('creates a missing topic as the contract says, and then finds nothing to report', async () => {
    const prefix = `${uniqueName('t')}.`;
    expect(await ensureTopics(kafka, contract, prefix, replication)).toEqual([]);
    expect(await ensureTopics(kafka, contract, prefix, replication)).toEqual([]);
  });

  it('creates a topic with the configured replication, every partition with a leader', async () => {
    const prefix = `${uniqueName('t')}.`;
    const name = topicName(Topics.user.name, prefix);

    await ensureTopics(kafka, contract, prefix, replication);

    // Another broker than the one ensureTopics asked may hear of the new topic a moment later.
    const { topics } = await eventually(() => withAdmin((admin) => admin.fetchTopicMetadata({ topics: [name] })));
    expect(topics[0].partitions.map((p) => ({ copies: p.replicas.length, led: p.leader >= 0 }))).toEqual(
      Array(3).fill({ copies: replication.replicationFactor, led: true }),
    );
    expect(await minInsyncReplicas(name)).toBe(String(replication.minInsyncReplicas));
  });

  it('reports how an existing topic differs from the contract, and leaves it alone', async () => {
    const prefix = `${uniqueName('t')}.`;
    const name = topicName(Topics.user.name, prefix);
    // As someone might create it by hand, or a broker with auto-creation on would.
    // No waitForLeaders: on the cluster kafkajs's wait can fail before every broker knows the topic.
    await withAdmin((admin) =>
      admin.createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic: name,
            numPartitions: 1,
            replicationFactor: 1,
            configEntries: [
              { name: 'cleanup.policy', value: 'delete' },
              { name: 'min.insync.replicas', value: '1' },
            ],
          },
        ],
      }),
    );

    const differences = await ensureTopics(kafka, contract, prefix, { replicationFactor: 3, minInsyncReplicas: 2 });

    expect(differences).toEqual(
      expect.arrayContaining([
        `topic ${name} has 1 partitions, fewer than the 3 configured`,
        `topic ${name} has 1 replicas, fewer than the 3 configured`,
        `topic ${name} has min.insync.replicas=1, fewer than the 2 configured`,
        `topic ${name} has cleanup.policy=delete, the contract says compact`,
        expect.stringMatching(new RegExp(`^topic ${name.replace(/\./g, '\\.')} has min\\.compaction\\.lag\\.ms=`)),
      ]),
    );
    const { resources } = await withAdmin((admin) =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] }],
      }),
    );
    expect(resources[0].configEntries[0].configValue).toBe('delete');
  });
});
