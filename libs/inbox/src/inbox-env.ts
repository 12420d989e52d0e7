import { z } from 'zod';
import { envPositiveInt, HOUR_MS } from '@playball/platform/config';
import { defaultInboxPruneOptions } from './inbox.module';

/** The variables every service with an inbox reads; merged into the app's own config schema. */
export const inboxEnv = z.object({
  INBOX_RETENTION_HOURS: envPositiveInt.default(defaultInboxPruneOptions.retentionMs / HOUR_MS),
});

export type InboxEnv = z.output<typeof inboxEnv>;
