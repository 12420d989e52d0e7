import type { Admin } from 'kafkajs';

/** The part of a kafkajs admin this needs; Nest's own copy of the kafkajs types matches it too. */
type TopicAdmin = Pick<Admin, 'listTopics' | 'createTopics'>;
import { TopicSpec, topicName } from '@playball/events';

export interface TopicToEnsure {
  spec: Pick<TopicSpec, 'name' | 'config'>;
  partitions: number;
}

/**
 * Creates the topics a service needs, with their partition count and config, if they are missing.
 * Idempotent and safe to race: several instances may start at once.
 */
export async function ensureTopics(admin: TopicAdmin, topics: TopicToEnsure[], prefix: string): Promise<void> {
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
