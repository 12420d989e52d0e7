import type { KafkaEnv } from './kafka-settings';

/** How many copies each partition of a service's topics keeps, and how many must have a write. */
export interface TopicReplication {
  replicationFactor: number;
  /** With acks=all, a write fails rather than land on fewer in-sync copies than this. */
  minInsyncReplicas: number;
}

/**
 * KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS when set; otherwise from the brokers
 * listed: 1/1 on one broker, 3/2 on three or more (a write survives one broker down and is never
 * on one copy only). A managed cluster reached through one bootstrap address sets them explicitly.
 */
export function topicReplication(env: KafkaEnv): TopicReplication {
  const replicationFactor = env.KAFKA_REPLICATION_FACTOR ?? Math.min(3, env.KAFKA_BROKERS.length);
  const minInsyncReplicas = env.KAFKA_MIN_INSYNC_REPLICAS ?? Math.max(1, replicationFactor - 1);
  return { replicationFactor, minInsyncReplicas };
}

/** Why a replication setting cannot work, for the boot-time validation; undefined when it can. */
export function replicationProblem(env: KafkaEnv): string | undefined {
  const { replicationFactor, minInsyncReplicas } = topicReplication(env);
  if (minInsyncReplicas > replicationFactor) {
    return `${minInsyncReplicas} in-sync replicas cannot be had from ${replicationFactor} copies (KAFKA_REPLICATION_FACTOR)`;
  }
  return undefined;
}
