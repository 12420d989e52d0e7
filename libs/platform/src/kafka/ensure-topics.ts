import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { TopicSpec, topicName } from '@playball/events';

type TopicAdmin = Pick<
  Admin,
  'connect' | 'disconnect' | 'listTopics' | 'createTopics' | 'fetchTopicMetadata' | 'describeConfigs'
>;

/** The part of a kafkajs client this needs; Nest's own copy of the kafkajs types matches it too. */
interface KafkaWithAdmin {
  admin(): TopicAdmin;
}

export interface TopicToEnsure {
  spec: Pick<TopicSpec, 'name' | 'config'>;
  partitions: number;
}

/**
 * Creates the topics a service needs, with their partition count and config, if they are missing.
 * Idempotent and safe to race: several instances may start at once.
 *
 * An existing topic is never altered (an operator may have tuned it on purpose), but how it
 * differs from the contract is returned for the caller to log: a user topic created by hand
 * without `cleanup.policy=compact`, say, would let retention delete users a new consumer group
 * then never hears of.
 */
export async function ensureTopics(kafka: KafkaWithAdmin, topics: TopicToEnsure[], prefix: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await createMissing(admin, topics, prefix);
    if (existing.length === 0) return [];
    return await differences(admin, existing, prefix);
  } finally {
    await admin.disconnect();
  }
}

/** Creates the missing topics; returns those that already existed. */
async function createMissing(admin: TopicAdmin, topics: TopicToEnsure[], prefix: string): Promise<TopicToEnsure[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(topicName(t.spec.name, prefix)));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: topicName(t.spec.name, prefix),
        numPartitions: t.partitions,
        // One broker here; production sets KAFKA_REPLICATION_FACTOR (see docs/architecture.md).
        replicationFactor: -1,
        configEntries: Object.entries(t.spec.config).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  return topics.filter((t) => !missing.includes(t));
}

async function differences(admin: TopicAdmin, topics: TopicToEnsure[], prefix: string): Promise<string[]> {
  const named = new Map(topics.map((t) => [topicName(t.spec.name, prefix), t]));
  const problems: string[] = [];
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...named.keys()] });
  for (const { name, partitions } of metadata) {
    const wanted = named.get(name)!.partitions;
    if (partitions.length < wanted) {
      problems.push(`topic ${name} has ${partitions.length} partitions, fewer than the ${wanted} configured`);
    }
  }
  const withConfig = [...named].filter(([, t]) => Object.keys(t.spec.config).length > 0);
  if (withConfig.length === 0) return problems;
  // Best effort: a broker that refuses DescribeConfigs (ACLs) must not stop the service starting.
  const described = await admin
    .describeConfigs({
      includeSynonyms: false,
      resources: withConfig.map(([name, t]) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: Object.keys(t.spec.config),
      })),
    })
    .catch((error: Error) => error);
  if (described instanceof Error) {
    return [...problems, `could not compare the topics' config with the contract: ${described.message}`];
  }
  const { resources } = described;
  for (const resource of resources) {
    const wanted = named.get(resource.resourceName)!.spec.config;
    for (const entry of resource.configEntries) {
      if (wanted[entry.configName] !== undefined && wanted[entry.configName] !== entry.configValue) {
        problems.push(
          `topic ${resource.resourceName} has ${entry.configName}=${entry.configValue}, the contract says ${wanted[entry.configName]}`,
        );
      }
    }
  }
  return problems;
}
