import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; null when it has committed none (it starts from the beginning). */
  committed: string | null;
  highWatermark: string;
  lag: number;
}

export interface GroupLag {
  group: string;
  state: string;
  members: number;
  partitions: PartitionLag[];
  totalLag: number;
}

/**
 * A consumer group's lag per partition: the topic's high watermark minus the group's committed
 * offset (minus the log start when it has committed nothing, since it reads from the beginning).
 */
export async function consumerLag(admin: Admin, group: string, topics: string[]): Promise<GroupLag> {
  const [committed, description] = await Promise.all([
    admin.fetchOffsets({ groupId: group, topics }),
    admin.describeGroups([group]),
  ]);
  const partitions: PartitionLag[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const own = offsets.find((o) => o.partition === end.partition)?.offset;
      const at = own === undefined || Number(own) < 0 ? null : own;
      const lag = Number(end.high) - Number(at ?? end.low);
      partitions.push({ topic, partition: end.partition, committed: at, highWatermark: end.high, lag });
    }
  }
  partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  const [info] = description.groups;
  return {
    group,
    state: info?.state ?? 'Unknown',
    members: info?.members.length ?? 0,
    partitions,
    totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
  };
}
