import { ConfigResourceTypes } from 'kafkajs';
import { Topics, topicName } from '@playball/events';
import { ensureTopics } from '@playball/platform';
import { kafka, uniqueName, withAdmin } from '../../support/kafka';

describe('ensureTopics', () => {
  const contract = [{ spec: Topics.user, partitions: 3 }];

  it('creates a missing topic as the contract says, and then finds nothing to report', async () => {
    const prefix = `${uniqueName('t')}.`;
    expect(await ensureTopics(kafka, contract, prefix)).toEqual([]);
    expect(await ensureTopics(kafka, contract, prefix)).toEqual([]);
  });

  it('reports how an existing topic differs from the contract, and leaves it alone', async () => {
    const prefix = `${uniqueName('t')}.`;
    const name = topicName(Topics.user.name, prefix);
    // As someone might create it by hand, or a broker with auto-creation on would.
    await withAdmin((admin) =>
      admin.createTopics({
        topics: [{ topic: name, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] }],
        waitForLeaders: true,
      }),
    );

    const differences = await ensureTopics(kafka, contract, prefix);

    expect(differences).toEqual(
      expect.arrayContaining([
        `topic ${name} has 1 partitions, fewer than the 3 configured`,
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
