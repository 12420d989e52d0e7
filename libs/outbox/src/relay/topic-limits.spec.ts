import { ConfigResourceTypes, ConfigSource } from 'kafkajs';
import type { Admin, DescribeConfigResponse, ITopicMetadata } from 'kafkajs';
import { MAX_SEND_BYTES } from './partition-records';
import { readTopicLimits } from './topic-limits';

type LimitsAdmin = Pick<Admin, 'fetchTopicMetadata' | 'describeConfigs'>;

function topic(name: string, partitions: number): ITopicMetadata {
  return {
    name,
    partitions: Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    })),
  };
}

/**
 * A broker's admin API answering metadata, and configs as given (or refusing them), in the order
 * given, which need not be the metadata's. It keeps what it was asked.
 */
function admin(topics: ITopicMetadata[], configs: Record<string, string> | Error) {
  const asked: { metadata: unknown[]; configs: unknown[] } = { metadata: [], configs: [] };
  const fake: LimitsAdmin = {
    fetchTopicMetadata: (request) => {
      asked.metadata.push(request);
      return Promise.resolve({ topics });
    },
    describeConfigs: (request) => {
      asked.configs.push(request);
      if (configs instanceof Error) return Promise.reject(configs);
      const answer: DescribeConfigResponse = {
        throttleTime: 0,
        resources: Object.entries(configs).map(([resourceName, configValue]) => ({
          resourceName,
          resourceType: ConfigResourceTypes.TOPIC,
          errorCode: 0,
          errorMessage: '',
          configEntries: [
            {
              configName: 'max.message.bytes',
              configValue,
              isDefault: false,
              configSource: ConfigSource.TOPIC_CONFIG,
              isSensitive: false,
              readOnly: false,
              configSynonyms: [],
            },
          ],
        })),
      };
      return Promise.resolve(answer);
    },
  };
  return { fake, asked };
}

function logger() {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => void warnings.push(message) };
}

describe('readTopicLimits', () => {
  it("gives each topic its partition count and three quarters of its max.message.bytes, capped at the default's share", async () => {
    const log = logger();
    // The configs come back in another order than the metadata: they are matched by name.
    const broker = admin([topic('a', 6), topic('b', 3)], { b: String(64 * 1024 * 1024), a: '100000' });
    const limits = await readTopicLimits(broker.fake, ['a', 'b'], log);
    expect(limits.get('a')).toEqual({ partitions: 6, sendBytes: 75_000 });
    expect(limits.get('b')).toEqual({ partitions: 3, sendBytes: MAX_SEND_BYTES });
    expect(log.warnings).toEqual([]);
    expect(broker.asked.metadata).toEqual([{ topics: ['a', 'b'] }]);
    expect(broker.asked.configs).toEqual([
      {
        resources: ['a', 'b'].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['max.message.bytes'],
        })),
        includeSynonyms: false,
      },
    ]);
  });

  it("keeps publishing when DescribeConfigs is refused: the default's share, and a warning that says which topics", async () => {
    const log = logger();
    const refused = Object.assign(new Error('Not authorized to access topics: [Topic authorization failed]'), {
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    const limits = await readTopicLimits(admin([topic('a', 6), topic('b', 3)], refused).fake, ['a', 'b'], log);
    expect(limits.get('a')).toEqual({ partitions: 6, sendBytes: MAX_SEND_BYTES });
    expect(limits.get('b')).toEqual({ partitions: 3, sendBytes: MAX_SEND_BYTES });
    expect(log.warnings).toEqual([expect.stringContaining('cannot read max.message.bytes of a, b: Not authorized')]);
  });

  it("gives a topic the broker left out of the configs it answered the default's share", async () => {
    const limits = await readTopicLimits(
      admin([topic('a', 2), topic('b', 2)], { a: '200000' }).fake,
      ['a', 'b'],
      logger(),
    );
    expect(limits.get('a')?.sendBytes).toBe(150_000);
    expect(limits.get('b')?.sendBytes).toBe(MAX_SEND_BYTES);
  });

  it('fails when the metadata cannot be read: without partition counts no record has a partition', async () => {
    const failing: LimitsAdmin = {
      ...admin([], {}).fake,
      fetchTopicMetadata: () => Promise.reject(new Error('This server does not host this topic-partition')),
    };
    await expect(readTopicLimits(failing, ['a'], logger())).rejects.toThrow('does not host');
  });
});
