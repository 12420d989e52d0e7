import { Logger } from '@nestjs/common';
import { HOUR_MS } from '@playball/platform/config';
import { pruneOlderThan, Sql } from '@playball/platform/database';
// Not the retry barrel: its transient-error check loads TypeORM, which the relay thread does without.
import { Backoff } from '@playball/platform/retry/backoff';
import { eventLogFields, isSampled, tracingEnabled, trackRunning } from '@playball/platform/observability';
import { OUTBOX_CHANNEL } from '../outbox';
import { backlog, Backlog } from '../sql/backlog';
import { claimBatch } from '../sql/claim-batch';
import { markPublished } from '../sql/mark-published';
import { publishedOutboxRows } from '../sql/prune-published';
import { relayLockKey } from '../sql/relay-status';
import { recordFailure } from '../sql/record-failure';
import { OutboxPublisher, PublishedRecord } from './kafka-publisher';
import { LeaderLock } from './leader-lock';
import { metricsObserver, RelayObserver } from './relay-observer';
import { Wakeup } from './wakeup';

export interface RelayOptions {
  /** Names the service; instances of one service compete for one advisory lock. */
  service: string;
  databaseUrl: string;
  batchSize: number;
  /** Fallback when a NOTIFY is missed (e.g. the listening connection was being replaced). */
  pollIntervalMs: number;
  /**
   * How long the relay waits after a commit wakes it before it claims, so that the commits of those
   * milliseconds travel together; 0 publishes each at once.
   */
  lingerMs: number;
  /** How often a stand-by tries to become the leader. */
  standbyIntervalMs: number;
  retentionMs: number;
  pruneIntervalMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /**
   * Whether to report each published event of a sampled trace for its publish span; the relay's
   * thread has no tracer, so the main thread says (RelayThread). Unset: whether this thread traces.
   */
  traceEvents?: boolean;
}

export const defaultRelayOptions = {
  /**
   * Rows per claim. Per record, the relay's thread spent 63–76 µs of CPU with batches of 500 (six
   * sends of ~80 records, each paying kafkajs's fixed cost per send) and 55 µs with 2,000 or 5,000
   * (30,000 rows, one broker). Draining 100,000 rows, four runs each, alternating: 5,000 gave
   * 23,529–25,556 rows/s (median 25,437) against 21,161–24,758 (median 24,195) with 2,000; the runs
   * overlap, the medians are 5 % apart. Peak RSS was the same (292–293 MiB against 277–294, in a
   * process doing nothing else), and a stop waits for one batch: about 0.2 s of publishing at that
   * rate. The sends stay bounded in bytes whatever the batch (MAX_SEND_BYTES).
   */
  batchSize: 5_000,
  pollIntervalMs: 1_000,
  /**
   * At 150 commits/s each woke the relay for a batch of one: a claim, a produce request, a mark, and
   * on group-management's side a fetch, a transaction and an offset commit, per event. Waiting 5 ms
   * (Kafka's own producer default since 4.0, `linger.ms`) batches what arrives meanwhile, for 5 ms
   * more latency. See docs/performance.md.
   */
  lingerMs: 5,
  standbyIntervalMs: 1_000,
  retentionMs: 7 * 24 * HOUR_MS,
  pruneIntervalMs: 60_000,
  backoffInitialMs: 100,
  backoffMaxMs: 5_000,
} satisfies Partial<RelayOptions>;

/** Now, in milliseconds since the epoch with sub-millisecond precision: the same clock on every thread. */
function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Moves committed outbox rows to Kafka: claim (oldest first) → publish → mark. At-least-once: a
 * crash after publish and before mark publishes the batch again; nothing is marked unpublished.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private readonly wakeup = new Wakeup();
  private readonly lock: LeaderLock;
  private readonly backoff: Backoff;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private readonly stopped = new Wakeup();
  private wasLeader = false;
  private lastPruneAt = 0;
  private lastBacklogAt = 0;

  constructor(
    private readonly db: Sql,
    private readonly publisher: OutboxPublisher,
    private readonly options: RelayOptions,
    private readonly observer: RelayObserver = metricsObserver(options.service),
  ) {
    this.logger = new Logger(`OutboxRelay(${options.service})`);
    this.lock = new LeaderLock(
      options.databaseUrl,
      relayLockKey(options.service),
      OUTBOX_CHANNEL,
      () => this.wakeup.notify(),
      () => this.observer.leadership(false),
    );
    this.backoff = new Backoff(options.backoffInitialMs, options.backoffMaxMs);
  }

  get isLeader(): boolean {
    return this.lock.held;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.stopped.reset();
    const untrack = trackRunning(`outbox relay (${this.options.service})`);
    this.loop = this.run().finally(untrack);
  }

  /** Finishes the batch in flight, then releases leadership. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.notify();
    this.stopped.notify();
    await this.loop;
    this.loop = undefined;
  }

  backlog(): Promise<Backlog> {
    return backlog(this.db);
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopping) {
        if (!this.lock.held && this.wasLeader) {
          this.wasLeader = false;
          this.logger.warn('lost the leader lock (its connection ended); standing by');
        }
        if (!this.lock.held && !(await this.becomeLeader())) {
          await this.wakeup.wait(this.options.standbyIntervalMs);
          continue;
        }
        const drained = await this.publishBacklog();
        // stop() notifies after setting `stopping`; publishBacklog may have reset that notify.
        if (drained && !this.stopping) {
          await this.prune();
          const wasIdle = await this.wakeup.wait(this.options.pollIntervalMs);
          // Lingers only when a commit found it idle. A commit made while a batch was in flight has
          // already waited for that batch, and the commits of those milliseconds go together
          // anyway: at 1,000 renames/s end to end, lingering after every batch put 2.5 ms on the
          // median (16.3 ms against 13.8 with no linger).
          if (wasIdle && this.options.lingerMs > 0) await this.stopped.wait(this.options.lingerMs);
        }
      }
    } finally {
      this.wasLeader = false;
      await this.lock.release();
      this.observer.leadership(false);
    }
  }

  private async becomeLeader(): Promise<boolean> {
    try {
      const acquired = await this.lock.tryAcquire();
      if (acquired) {
        this.logger.log('leader: publishing the outbox');
        this.observer.leadership(true);
      }
      this.wasLeader = acquired;
      return acquired;
    } catch (error) {
      this.logger.warn(`cannot reach the database for leadership: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * Publishes until the outbox is drained; returns true then, false after a failure.
   *
   * A pipeline of three: batch N+1 is claimed while batch N is published, and batch N is marked
   * while N+1 is published. Publishing stays strictly one batch after the other (order); claims and
   * marks run on the database meanwhile. They are not small: pg_stat_statements put a 500-row mark
   * at 8–13 ms and a claim at 3–5 ms, against 15–20 ms to publish the batch, and PostgreSQL does
   * that work on the other core while this thread encodes records for Kafka.
   */
  private async publishBacklog(): Promise<boolean> {
    const size = this.options.batchSize;
    let marking: { ids: string[]; done: Promise<void> } | undefined;
    let batch: string[] = [];
    // The commits notified so far are in the claim below; a notify from now on may be for a row it
    // does not see, and wakes the relay again.
    this.wakeup.reset();
    try {
      let rows = await claimBatch(this.db, size);
      while (rows.length > 0) {
        batch = rows.map((r) => r.id);
        const more = rows.length === size && !this.stopping && this.lock.held;
        const skip = marking ? [...batch, ...marking.ids] : batch;
        const startedAt = epochMs();
        const [sent, claimed] = await Promise.allSettled([
          this.publisher.publish(rows),
          more ? claimBatch(this.db, size, skip) : Promise.resolve([]),
        ]);
        if (sent.status === 'rejected') throw sent.reason;
        this.reportBatch(rows.length, startedAt, sent.value);
        const publishedIds = batch;
        batch = [];
        await marking?.done;
        marking = { ids: publishedIds, done: this.mark(publishedIds) };
        if (claimed.status === 'rejected') throw claimed.reason;
        rows = claimed.value;
      }
      await marking?.done;
      this.backoff.reset();
      await this.reportBacklog();
      return true;
    } catch (error) {
      await marking?.done.catch(() => undefined);
      await this.failed(batch, error as Error);
      return false;
    }
  }

  /** Its size and time to the metrics; each event to the debug log and, in a sampled trace, a span. */
  private reportBatch(size: number, startedAt: number, records: PublishedRecord[]): void {
    const endedAt = epochMs();
    const events = records.map(({ row, topic, partition, offset }) => ({
      eventId: row.event_id,
      type: row.type,
      traceparent: row.headers.traceparent,
      topic,
      partition,
      offset,
    }));
    for (const event of events) {
      this.logger.debug({ msg: 'published', ...eventLogFields({ id: event.eventId, ...event }, event) });
    }
    const traced = (this.options.traceEvents ?? tracingEnabled()) ? events.filter((e) => isSampled(e.traceparent)) : [];
    this.observer.batchPublished({ size, startedAt, endedAt, traced });
  }

  /** Marks in the background; its failure surfaces where the loop awaits it, never as unhandled. */
  private mark(ids: string[]): Promise<void> {
    const done = markPublished(this.db, ids).then(() => this.observer.published(ids.length));
    done.catch(() => undefined);
    return done;
  }

  /** `ids`: the batch whose publish failed; none when a claim or a mark did. */
  private async failed(ids: string[], error: Error): Promise<void> {
    this.observer.failed();
    const what = ids.length > 0 ? `publishing ${ids.length} outbox rows` : 'claiming or marking outbox rows';
    this.logger.warn(`${what} failed, will retry: ${error.message}`);
    if (ids.length > 0) await recordFailure(this.db, ids, error.message).catch(() => undefined);
    // The same batch is retried from the table after the pause, so order is kept. Commits do not
    // cut the pause short (that would hammer a dead broker under load); a stop does.
    if (!this.stopping) await this.stopped.wait(this.backoff.next());
  }

  /**
   * At most once a second: a relay woken by every commit drains one small batch each time, and a
   * count per drain was one statement in three. A failed gauge query says nothing about the publish
   * that just succeeded.
   */
  private async reportBacklog(): Promise<void> {
    if (Date.now() - this.lastBacklogAt < 1_000) return;
    this.lastBacklogAt = Date.now();
    try {
      this.observer.backlog((await this.backlog()).unpublished);
    } catch (error) {
      this.logger.warn(`measuring the outbox backlog failed: ${(error as Error).message}`);
    }
  }

  /** Deletes in batches until nothing old is left, so pruning keeps up with any write rate. */
  private async prune(): Promise<void> {
    if (Date.now() - this.lastPruneAt < this.options.pruneIntervalMs) return;
    this.lastPruneAt = Date.now();
    try {
      const deleted = await pruneOlderThan(this.db, publishedOutboxRows, this.options.retentionMs, {
        stopping: () => this.stopping,
      });
      if (deleted > 0) this.logger.log(`pruned ${deleted} published outbox rows`);
    } catch (error) {
      this.logger.warn(`pruning the outbox failed: ${(error as Error).message}`);
    }
  }
}
