/**
 * Every topic the system publishes, in one place. `name` is the logical name; a deployment may put
 * a namespace in front of it (KAFKA_TOPIC_PREFIX), so always go through `topicName()` on the wire.
 */
export interface TopicSpec {
  readonly name: string;
  /** What the record key is: the id of the aggregate whose events must stay in order. */
  readonly key: string;
  /** Kafka topic-level configuration applied when the topic is created. */
  readonly config: Readonly<Record<string, string>>;
}

export const Topics = {
  /** Users as they are now: compacted, so a new consumer group reading from the start rebuilds them. */
  user: {
    name: 'auth.user.v1',
    key: 'user id',
    config: {
      'cleanup.policy': 'compact',
      // Nothing younger than 7 days is compacted away, so a consumer up to a week behind still sees
      // every event, including a deleted user's `deleted` event before compaction drops it.
      'min.compaction.lag.ms': String(7 * 24 * 60 * 60 * 1000),
      // The tombstone itself then stays a day, so a consumer that saw the user also sees it go.
      'delete.retention.ms': String(24 * 60 * 60 * 1000),
    },
  },
  group: {
    name: 'group-management.group.v1',
    key: 'group id',
    config: { 'cleanup.policy': 'delete', 'retention.ms': String(7 * 24 * 60 * 60 * 1000) },
  },
} as const satisfies Record<string, TopicSpec>;

export function topicName(logical: string, prefix: string): string {
  return `${prefix}${logical}`;
}

/** `<topic>.<consumer-group>.dlq`: where a consumer group parks the events it can never process. */
export function deadLetterTopicName(topic: string, consumerGroup: string): string {
  return `${topic}.${consumerGroup}.dlq`;
}
