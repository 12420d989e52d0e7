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

/** A topic of the contract: events of its types, published by one service only. */
export interface EventTopic extends TopicSpec {
  /**
   * The CloudEvents `ce_source` of the only service that may publish here. Consumers dead-letter a
   * record from anyone else; the broker's ACLs give only that service's principal WRITE.
   */
  readonly owner: string;
}

export const Topics = {
  /** Users as they are now: compacted, so a new consumer group reading from the start rebuilds them. */
  user: {
    name: 'auth.user.v1',
    key: 'user id',
    owner: '/auth',
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
    owner: '/group-management',
    config: { 'cleanup.policy': 'delete', 'retention.ms': String(7 * 24 * 60 * 60 * 1000) },
  },
} as const satisfies Record<string, EventTopic>;

export function topicName(logical: string, prefix: string): string {
  return `${prefix}${logical}`;
}

/**
 * Whether a topic name on the wire is `spec`'s, behind whatever prefix the deployment chose. No
 * logical name ends with another (topics.spec.ts), so a wire name is never two topics at once.
 */
export function isTopic(wireName: string, spec: TopicSpec): boolean {
  return wireName.endsWith(spec.name);
}

/** `<topic>.<consumer-group>.dlq`: where a consumer group parks the events it can never process. */
export function deadLetterTopicName(topic: string, consumerGroup: string): string {
  return `${topic}.${consumerGroup}.dlq`;
}

/**
 * How long a dead letter is kept: 14 days for a person to look, fix and replay (two weeks spans a
 * holiday). After that the broker deletes it: a dead letter holds the event's data (a display name
 * is personal data), so it must not outlive its use.
 */
export const deadLetterRetentionMs = 14 * 24 * 60 * 60 * 1000;

/**
 * Kafka deletes whole segments, and never the one being written: with the broker's default of 7
 * days per segment a letter could stay 21 days. Rolling daily bounds it at 15.
 */
const deadLetterSegmentMs = 24 * 60 * 60 * 1000;

/** The dead-letter topic of `topic` for a consumer group, as the contract creates it. */
export function deadLetterTopic(topic: string, consumerGroup: string): TopicSpec {
  return {
    name: deadLetterTopicName(topic, consumerGroup),
    key: 'as the original record',
    config: {
      'cleanup.policy': 'delete',
      'retention.ms': String(deadLetterRetentionMs),
      'segment.ms': String(deadLetterSegmentMs),
    },
  };
}
