import { Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Expired windows are deleted at most this often per instance: one indexed delete a minute. */
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Counts requests per key in PostgreSQL, so that every instance of an app shares its limits: a
 * fixed window per key, counted by one atomic upsert (a new window starts at the first request
 * after the last one expired). Over the limit, the key is refused until its window ends.
 */
export class PostgresRateLimitStorage implements ThrottlerStorage {
  private readonly logger = new Logger(PostgresRateLimitStorage.name);
  private lastPruneAt = Date.now();

  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    this.pruneNowAndThen();
    const [{ hits, seconds_left: secondsLeft }] = (await this.dataSource.query(
      `insert into rate_limits as current (key, hits, expires_at)
       values ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
       on conflict (key) do update set
         hits = case when current.expires_at <= clock_timestamp() then 1 else current.hits + 1 end,
         expires_at = case when current.expires_at <= clock_timestamp() then excluded.expires_at else current.expires_at end
       returning hits, greatest(1, ceil(extract(epoch from expires_at - clock_timestamp())))::int as seconds_left`,
      [key, ttlMs],
    )) as { hits: number; seconds_left: number }[];
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }

  private pruneNowAndThen(): void {
    if (Date.now() - this.lastPruneAt < PRUNE_INTERVAL_MS) return;
    this.lastPruneAt = Date.now();
    this.prune().catch((error: Error) => this.logger.warn(`pruning expired rate limits failed: ${error.message}`));
  }

  /** Deletes every expired window (requests call it at most once a minute). */
  async prune(): Promise<void> {
    await this.dataSource.query(`delete from rate_limits where expires_at < clock_timestamp()`);
  }
}
