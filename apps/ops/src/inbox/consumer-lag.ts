import type { Admin } from 'kafkajs';
import { consumerLag, PartitionLag } from '@playball/inbox';

export interface GroupLag {
  group: string;
  state: string;
  members: number;
  partitions: PartitionLag[];
  totalLag: number;
}

/** A consumer group's state, members and lag per partition (the same figures as inbox_consumer_lag). */
export async function groupLag(admin: Admin, group: string, topics: string[]): Promise<GroupLag> {
  const [partitions, description] = await Promise.all([
    consumerLag(admin, group, topics),
    admin.describeGroups([group]),
  ]);
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
