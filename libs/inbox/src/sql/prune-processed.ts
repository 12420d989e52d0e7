import { PruneTarget } from '@playball/platform/database';

/** What the inbox prunes (pruneOlderThan): event ids processed longer ago than the retention. */
export const processedInboxRows: PruneTarget = { table: 'inbox', column: 'processed_at' };
