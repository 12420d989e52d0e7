import { z } from 'zod';
import { envFlag, envPositiveInt } from '@playball/platform/config';

/** The variables every service with an outbox reads; merged into the app's own config schema. */
export const outboxEnv = z.object({
  /** Off for instances that should only write (the rows wait for an instance with a relay). */
  OUTBOX_RELAY_ENABLED: envFlag.default(true),
  OUTBOX_BATCH_SIZE: envPositiveInt.default(2_000),
  /** Fallback poll; NOTIFY wakes the relay at each commit, so this only bounds a missed wake-up. */
  OUTBOX_POLL_INTERVAL_MS: envPositiveInt.default(1_000),
  OUTBOX_RETENTION_HOURS: envPositiveInt.default(24 * 7),
});

export type OutboxEnv = z.output<typeof outboxEnv>;
