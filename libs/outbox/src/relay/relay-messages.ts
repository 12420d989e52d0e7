import { TopicSpec } from '@playball/events';
import { KafkaEnv } from '@playball/platform/kafka';
import { RelayOptions } from './outbox-relay';

/** What the relay thread is started with (structured-cloned into it). */
export interface RelayThreadSettings {
  relay: RelayOptions;
  kafka: KafkaEnv;
  topicPrefix: string;
  partitions: number;
  topics: TopicSpec[];
  /** The connections the relay thread's own pool may open (claim, mark and prune run on it). */
  poolSize: number;
  statementTimeoutMs: number;
}

export type LogLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

/** From the relay thread to the main thread. */
export type RelayReport =
  | { kind: 'published'; count: number }
  | { kind: 'failed' }
  | { kind: 'backlog'; unpublished: number }
  | { kind: 'leadership'; leader: boolean }
  | { kind: 'log'; level: LogLevel; context: string; message: string }
  | { kind: 'ready' }
  | { kind: 'stopped' };

/** From the main thread to the relay thread. */
export type RelayCommand = { kind: 'stop' };
