import type { Admin } from 'kafkajs';

/** The part of a kafkajs client this needs; Nest's own copy of the kafkajs types matches it too. */
interface KafkaWithAdmin {
  admin(): Pick<Admin, 'connect' | 'disconnect' | 'listTopics' | 'createTopics'>;
}
import { TopicSpec, topicName } from '@playball/events';

export interface TopicToEnsure {
  spec: Pick<TopicSpec, 'name' | 'config'>;
  partitions: number;
}

/**
 * Creates the topics a service needs, with their partition count and config, if they are missing.
 * Idempotent and safe to race: several instances may start at once.
 */
export async function ensureTopics(kafka: KafkaWithAdmin, topics: TopicToEnsure[], prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createMissing(admin, topics, prefix);
  } finally {
    await admin.disconnect();
  }
}

async function createMissing(
  admin: ReturnType<KafkaWithAdmin['admin']>,
  topics: TopicToEnsure[],
  prefix: string,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(topicName(t.spec.name, prefix)));
  if (missing.length === 0) return;
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
