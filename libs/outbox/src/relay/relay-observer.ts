import { counter, gauge } from '@playball/platform/observability';

/** What the relay reports as it works; the process's metrics by default. */
export interface RelayObserver {
  published(count: number): void;
  failed(): void;
  backlog(unpublished: number): void;
  /** The leader lock was taken (true) or lost or released (false). */
  leadership(leader: boolean): void;
}

const published = counter('outbox_published_total', 'Outbox rows published to Kafka', ['service']);
const failures = counter('outbox_publish_failures_total', 'Failed publish attempts of a batch', ['service']);
const backlogGauge = gauge('outbox_backlog', 'Outbox rows not yet published', ['service']);
const leaderGauge = gauge('outbox_relay_leader', '1 while this instance holds the relay leader lock', ['service']);

/** Reports to this process's Prometheus registry (the one /metrics serves). */
export function metricsObserver(service: string): RelayObserver {
  return {
    published: (count) => published.inc({ service }, count),
    failed: () => failures.inc({ service }),
    backlog: (unpublished) => backlogGauge.set({ service }, unpublished),
    leadership: (leader) => leaderGauge.set({ service }, leader ? 1 : 0),
  };
}
