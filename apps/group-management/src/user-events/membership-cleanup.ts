import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { gauge, runInTrace } from '@playball/platform/observability';
import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from '../config';
import { RemoveMemberService } from '../groups/remove-member/remove-member.service';

/**
 * How often an idle instance looks for queued clean-ups. The consumer queues one only for a user
 * with more than USER_DELETION_BATCH_SIZE memberships, whose groups it has started on already;
 * 500 ms more before the rest is one indexed read per instance twice a second.
 */
const POLL_MS = 500;

/**
 * The queue's gauges are read from the table this often, on a timer of their own so that a step
 * stuck on a lock does not freeze them: a count of a table holding one row per user still being
 * cleaned up (a handful at most).
 */
const GAUGE_INTERVAL_MS = 1_000;

const queuedGauge = gauge(
  'membership_cleanups_queued',
  'Deleted users whose remaining memberships are still being removed in the background',
);
const oldestGauge = gauge(
  'membership_cleanups_oldest_age_seconds',
  'Age of the oldest queued membership clean-up; 0 when none is queued',
);

/**
 * Finishes the clean-up of deleted users who belonged to more groups than one consumer
 * transaction handles: one batch of USER_DELETION_BATCH_SIZE memberships per transaction, until
 * none is left. The consumer applies the deletion and the first batch, queues the rest here and
 * moves on, so the events behind it on its partition never wait for a user in 5,000 groups.
 * Safe with several instances: a queued user is taken with SKIP LOCKED, so one instance works on
 * it at a time, and the queue row goes in the transaction of the last batch.
 */
@Injectable()
export class MembershipCleanup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MembershipCleanup.name);
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private gaugeTimer: NodeJS.Timeout | undefined;
  private gaugeRead: Promise<void> | undefined;
  private gaugesFailing = false;

  constructor(
    private readonly db: DataSource,
    private readonly members: RemoveMemberService,
    @Inject(GROUP_MANAGEMENT_CONFIG) private readonly config: GroupManagementConfig,
  ) {}

  /** In the consumer's transaction: the rest of this user's memberships are removed in the background. */
  async enqueue(manager: EntityManager, userId: string, traceparent: string | undefined): Promise<void> {
    await manager.query(
      `insert into membership_cleanups (user_id, traceparent) values ($1, $2) on conflict (user_id) do nothing`,
      [userId, traceparent ?? null],
    );
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
    this.gaugeTimer = setInterval(() => {
      this.gaugeRead ??= this.readGauges().finally(() => (this.gaugeRead = undefined));
    }, GAUGE_INTERVAL_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.gaugeTimer);
    await this.gaugeRead;
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let more = false;
      try {
        more = await this.step();
      } catch (error) {
        // A failed batch rolled back whole; the next attempt does the same work again.
        this.logger.warn(`membership clean-up failed, retrying: ${(error as Error).message}`);
      }
      if (!more) await this.idle();
    }
  }

  /**
   * The whole queue, whoever works on it: a clean-up that fails and retries for good stays queued
   * and grows old, which is what an alert looks for (docs/operations.md). A failed read is logged
   * when reads start failing, not every second of a database outage.
   */
  private async readGauges(): Promise<void> {
    try {
      const [row] = (await this.db.query(
        `select count(*)::int as queued,
                coalesce(extract(epoch from now() - min(queued_at)), 0)::float8 as oldest
           from membership_cleanups`,
      )) as { queued: number; oldest: number }[];
      queuedGauge.set(row.queued);
      oldestGauge.set(row.oldest);
      this.gaugesFailing = false;
    } catch (error) {
      if (!this.gaugesFailing)
        this.logger.warn(`reading the membership clean-up queue failed: ${(error as Error).message}`);
      this.gaugesFailing = true;
    }
  }

  /** One batch of one queued user, in one transaction; false when nothing is queued. */
  private step(): Promise<boolean> {
    const batchSize = this.config.USER_DELETION_BATCH_SIZE;
    return this.db.transaction(async (manager) => {
      const [job] = (await manager.query(
        `select user_id, traceparent from membership_cleanups order by queued_at, user_id limit 1 for update skip locked`,
      )) as { user_id: string; traceparent: string | null }[];
      if (!job) return false;
      await runInTrace(job.traceparent ?? undefined, async () => {
        await this.members.lockGroupsOf(manager, [job.user_id], batchSize);
        const remaining = await this.members.removeDeletedUser(manager, job.user_id, batchSize);
        if (!remaining) await manager.query(`delete from membership_cleanups where user_id = $1`, [job.user_id]);
      });
      return true;
    });
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
