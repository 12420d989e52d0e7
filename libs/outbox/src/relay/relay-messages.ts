import { TopicSpec } from '@playball/events';
import { KafkaEnv } from '@playball/platform/kafka';
import { LoggerSettings } from '@playball/platform/observability';
import { RelayOptions } from './outbox-relay';
import { PublishedBatch } from './relay-observer';

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
  /** The thread logs by itself, JSON lines to stdout like the main thread's, with these settings. */
  log: LoggerSettings;
  /** How long stop() waits for the thread's batch in flight before ending the thread; 10 s by default. */
  stopTimeoutMs?: number;
}

/** From the relay thread to the main thread. */
export type RelayReport =
  | { kind: 'published'; count: number }
  | { kind: 'failed' }
  | { kind: 'backlog'; unpublished: number }
  | { kind: 'leadership'; leader: boolean }
  | { kind: 'batch'; batch: PublishedBatch }
  | { kind: 'ready' }
  | { kind: 'stopped' };

/** From the main thread to the relay thread. */
export type RelayCommand = { kind: 'stop' };
