import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { TopicSpec, topicName } from '@playball/events';
import type { TopicReplication } from './topic-replication';

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

/** How long new topics may take to have a leader for every partition (a cluster: ~1 s here). */
const LEADERS_TIMEOUT_MS = 30_000;

/**
 * Creates the topics a service needs, with their partition count, replication and config, if they
 * are missing. Idempotent and safe to race: several instances may start at once.
 *
 * An existing topic is never altered (an operator may have tuned it on purpose), but how it
 * differs from the contract is returned for the caller to log: a user topic created by hand
 * without `cleanup.policy=compact`, say, would let retention delete users a new consumer group
 * then never hears of; one with fewer copies than configured loses acknowledged events with a disk.
 */
export async function ensureTopics(
  kafka: KafkaWithAdmin,
  topics: TopicToEnsure[],
  prefix: string,
  replication: TopicReplication,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await createMissing(admin, topics, prefix, replication);
    if (existing.length === 0) return [];
    return await differences(admin, existing, prefix, replication);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates the missing topics; returns those that already existed. One request per topic: kafkajs
 * answers only whether any of a request's topics existed, and a topic another service created a
 * moment ago (not yet in the list we read) must be compared, not taken as ours.
 */
async function createMissing(
  admin: TopicAdmin,
  topics: TopicToEnsure[],
  prefix: string,
  { replicationFactor, minInsyncReplicas }: TopicReplication,
): Promise<TopicToEnsure[]> {
  const listed = new Set(await admin.listTopics());
  const created: TopicToEnsure[] = [];
  for (const t of topics.filter((t) => !listed.has(topicName(t.spec.name, prefix)))) {
    // Not kafkajs's waitForLeaders (on by default): on a cluster its wait can fail with
    // UNKNOWN_TOPIC_OR_PARTITION while the new topic reaches the broker it asks; readyMetadata polls.
    const config = { ...t.spec.config, 'min.insync.replicas': String(minInsyncReplicas) };
    const isNew = await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic: topicName(t.spec.name, prefix),
          numPartitions: t.partitions,
          replicationFactor,
          configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    if (isNew) created.push(t);
  }
  if (created.length > 0) {
    await readyMetadata(
      admin,
      created.map((t) => topicName(t.spec.name, prefix)),
    );
  }
  return topics.filter((t) => !created.includes(t));
}

/** Retries `work` while the broker it asked has not heard of a topic yet (a cluster, ms after a create). */
async function whileUnknown<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

type TopicsMetadata = Awaited<ReturnType<TopicAdmin['fetchTopicMetadata']>>['topics'];

/**
 * The topics' metadata once every partition has a leader. Polled: on a cluster, a broker that has
 * not yet heard of a topic just created (by us, or by another service) answers
 * UNKNOWN_TOPIC_OR_PARTITION for a moment.
 */
async function readyMetadata(admin: TopicAdmin, topics: string[]): Promise<TopicsMetadata> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (;;) {
    const metadata = await admin
      .fetchTopicMetadata({ topics })
      .then((m) => m.topics)
      .catch((error: Error) => error);
    const leaderless =
      metadata instanceof Error ? 0 : metadata.flatMap((t) => t.partitions.filter((p) => p.leader < 0)).length;
    if (!(metadata instanceof Error) && leaderless === 0) return metadata;
    if (Date.now() > deadline) {
      const why = metadata instanceof Error ? metadata.message : `${leaderless} partitions have no leader`;
      throw new Error(`topics ${topics.join(', ')} not ready within ${LEADERS_TIMEOUT_MS} ms: ${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function differences(
  admin: TopicAdmin,
  topics: TopicToEnsure[],
  prefix: string,
  replication: TopicReplication,
): Promise<string[]> {
  const named = new Map(topics.map((t) => [topicName(t.spec.name, prefix), t]));
  const problems: string[] = [];
  const metadata = await readyMetadata(admin, [...named.keys()]);
  for (const { name, partitions } of metadata) {
    const wanted = named.get(name)!.partitions;
    if (partitions.length < wanted) {
      problems.push(`topic ${name} has ${partitions.length} partitions, fewer than the ${wanted} configured`);
    }
    const copies = Math.min(...partitions.map((p) => p.replicas.length));
    if (copies < replication.replicationFactor) {
      problems.push(`topic ${name} has ${copies} replicas, fewer than the ${replication.replicationFactor} configured`);
    }
  }
  // Best effort: a broker that refuses DescribeConfigs (ACLs) must not stop the service starting.
  const described = await whileUnknown(() =>
    admin.describeConfigs({
      includeSynonyms: false,
      resources: [...named].map(([name, t]) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: [...Object.keys(t.spec.config), 'min.insync.replicas'],
      })),
    }),
  ).catch((error: Error) => error);
  if (described instanceof Error) {
    return [...problems, `could not compare the topics' config with the contract: ${described.message}`];
  }
  for (const resource of described.resources) {
    const wanted = named.get(resource.resourceName)!.spec.config;
    for (const { configName, configValue } of resource.configEntries) {
      if (configName === 'min.insync.replicas' && Number(configValue) < replication.minInsyncReplicas) {
        problems.push(
          `topic ${resource.resourceName} has min.insync.replicas=${configValue}, fewer than the ${replication.minInsyncReplicas} configured`,
        );
      } else if (wanted[configName] !== undefined && wanted[configName] !== configValue) {
        problems.push(
          `topic ${resource.resourceName} has ${configName}=${configValue}, the contract says ${wanted[configName]}`,
        );
      }
    }
  }
  return problems;
}
