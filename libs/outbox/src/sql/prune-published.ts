import { PruneTarget } from '@playball/platform/database';

/** What the relay prunes (pruneOlderThan): rows published longer ago than the retention. */
export const publishedOutboxRows: PruneTarget = { table: 'outbox', column: 'published_at' };
