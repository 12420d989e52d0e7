import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { parseApplied } from '@playball/inbox';
import { counter, gauge } from '@playball/platform/observability';
import { AuthenticatedUser } from './authenticated-user';
import { GROUP_MANAGEMENT_CONFIG, GroupManagementConfig } from '../config';
import { UserView } from '../users/user-view.entity';
import { USER_VIEW_CHANNEL } from '../users/user-view.service';
import { GroupManagementError } from '../errors';

const RECONNECT_DELAY_MS = 1_000;

const waiting = gauge('user_view_waits_in_progress', 'Requests waiting for the user view to catch up');
const waits = counter('user_view_waits_total', 'Requests that had to wait for the user view, by outcome', ['outcome']);

/**
 * Read-your-writes for requests: waits until the user view holds the caller at (at least) the
 * version their token was issued at, then refuses a token issued before the user's last change of
 * credentials (`uv` below the view's credentials_version). Woken by the consumer's NOTIFY at commit, so it works across
 * instances; bounded by CONSISTENCY_WAIT_MS, then 503 CONSISTENCY.PENDING with Retry-After.
 */
@Injectable()
export class UserViewWaiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(UserViewWaiter.name);
  private readonly waiters = new Map<string, Set<() => void>>();
  private client: Client | undefined;
  private closed = false;

  constructor(
    @Inject(GROUP_MANAGEMENT_CONFIG) private readonly config: GroupManagementConfig,
    private readonly db: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  async awaitUser(userId: string, minVersion: number): Promise<AuthenticatedUser> {
    const deadline = Date.now() + this.config.CONSISTENCY_WAIT_MS;
    let waited = false;
    try {
      for (;;) {
        // Subscribe before reading, so a change committed between the read and the wait is not missed.
        const change = this.nextChange(
          userId,
          Math.min(this.config.CONSISTENCY_POLL_MS, Math.max(0, deadline - Date.now())),
        );
        const user = await this.db.manager.findOneBy(UserView, { id: userId });
        if (user?.deletedAt) {
          change.cancel();
          this.countWait(waited, 'deleted');
          throw new GroupManagementError('AUTH.UNAUTHENTICATED', 'The user no longer exists.');
        }
        if (user && user.version >= minVersion) {
          change.cancel();
          this.countWait(waited, 'caught-up');
          if (minVersion < user.credentialsVersion) {
            throw new GroupManagementError(
              'AUTH.UNAUTHENTICATED',
              'The token was issued before the last change of credentials.',
            );
          }
          return { userId, displayName: user.displayName ?? '' };
        }
        if (Date.now() >= deadline) {
          change.cancel();
          this.countWait(waited, 'timed-out');
          throw new GroupManagementError(
            'CONSISTENCY.PENDING',
            'Your latest account change has not reached this service yet.',
            {
              retryAfter: 1,
            },
          );
        }
        if (!waited) waiting.inc();
        waited = true;
        await change.promise;
      }
    } finally {
      if (waited) waiting.dec();
    }
  }

  private countWait(waited: boolean, outcome: 'caught-up' | 'timed-out' | 'deleted'): void {
    if (waited) waits.inc({ outcome });
  }

  private nextChange(userId: string, timeoutMs: number): { promise: Promise<void>; cancel: () => void } {
    let cancel = () => {};
    const promise = new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.get(userId)?.delete(wake);
        if (this.waiters.get(userId)?.size === 0) this.waiters.delete(userId);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      const set = this.waiters.get(userId) ?? new Set();
      set.add(wake);
      this.waiters.set(userId, set);
      cancel = wake;
    });
    return { promise, cancel };
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'user-view-waiter' });
    const reconnect = () => {
      if (this.client !== client || this.closed) return;
      this.client = undefined;
      setTimeout(() => void this.listen(), RECONNECT_DELAY_MS).unref();
    };
    client.on('error', (error) => this.logger.warn(`listener connection: ${error.message}`));
    client.on('end', reconnect);
    client.on('notification', ({ payload }) => {
      const userId = parseApplied(payload)?.id;
      if (userId) for (const wake of [...(this.waiters.get(userId) ?? [])]) wake();
    });
    this.client = client;
    try {
      await client.connect();
      await client.query(`listen ${USER_VIEW_CHANNEL}`);
    } catch (error) {
      this.logger.warn(`cannot listen for user view changes, polling until it can: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      reconnect();
    }
  }
}
