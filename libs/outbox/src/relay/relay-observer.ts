import { counter, gauge, histogram, SpanKind, startSpan, tracingEnabled } from '@playball/platform/observability';

/** An event's record the relay published: what its publish span and log line name. */
export interface PublishedEvent {
  eventId: string;
  type: string;
  traceparent: string | undefined;
  topic: string;
  partition: number;
  offset: string;
}

/** One batch acknowledged by the broker. Times are epoch milliseconds (fractional): they cross threads. */
export interface PublishedBatch {
  size: number;
  startedAt: number;
  endedAt: number;
  /** The records to make publish spans for (those in a sampled trace, when tracing is on). */
  traced: PublishedEvent[];
}

/** What the relay reports as it works; the process's metrics by default. */
export interface RelayObserver {
  published(count: number): void;
  failed(): void;
  backlog(unpublished: number): void;
  /** The leader lock was taken (true) or lost or released (false). */
  leadership(leader: boolean): void;
  batchPublished(batch: PublishedBatch): void;
}

const published = counter('outbox_published_total', 'Outbox rows published to Kafka', ['service']);
const failures = counter('outbox_publish_failures_total', 'Failed publish attempts of a batch', ['service']);
const backlogGauge = gauge('outbox_backlog', 'Outbox rows not yet published', ['service']);
const leaderGauge = gauge('outbox_relay_leader', '1 while this instance holds the relay leader lock', ['service']);
// Batches run from 1 row (a quiet system, one commit per NOTIFY) to OUTBOX_BATCH_SIZE (5,000: a backlog).
const batchSize = histogram(
  'outbox_relay_batch_size',
  'Rows per published batch',
  ['service'],
  [1, 10, 50, 200, 1000, 2000, 5000],
);
// A batch took 15–20 ms to publish here (docs/outbox.md); seconds mean a broker in trouble.
const batchSeconds = histogram(
  'outbox_relay_batch_duration_seconds',
  'Time to publish one batch, send to acknowledgement by all in-sync replicas',
  ['service'],
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);

/** Reports to this process's Prometheus registry (the one /metrics serves) and its tracer. */
export function metricsObserver(service: string): RelayObserver {
  return {
    published: (count) => published.inc({ service }, count),
    failed: () => failures.inc({ service }),
    backlog: (unpublished) => backlogGauge.set({ service }, unpublished),
    leadership: (leader) => leaderGauge.set({ service }, leader ? 1 : 0),
    batchPublished: (batch) => {
      batchSize.observe({ service }, batch.size);
      batchSeconds.observe({ service }, (batch.endedAt - batch.startedAt) / 1000);
      recordPublishSpans(service, batch);
    },
  };
}

/**
 * A span per event, child of its capture, timed by the relay: made where the tracer lives, which
 * for the relay's thread is the main thread, as its metrics are (the SDK and its exporter are the
 * process's, not loaded twice).
 */
function recordPublishSpans(service: string, batch: PublishedBatch): void {
  if (!tracingEnabled()) return;
  for (const event of batch.traced) {
    const span = startSpan(`outbox publish ${event.topic}`, event.traceparent, {
      kind: SpanKind.PRODUCER,
      startTime: batch.startedAt,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': event.topic,
        'messaging.destination.partition.id': String(event.partition),
        'messaging.kafka.offset': Number(event.offset),
        'messaging.message.id': event.eventId,
        'messaging.batch.message_count': batch.size,
        'cloudevents.event_type': event.type,
        'playball.service': service,
      },
    });
    span.end({ endTime: batch.endedAt });
  }
}
