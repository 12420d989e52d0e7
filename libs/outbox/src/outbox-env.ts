import { z } from 'zod';
import { envFlag, envNonNegativeInt, envPositiveInt, HOUR_MS } from '@playball/platform/config';
import { defaultRelayOptions } from './relay/outbox-relay';

/** The variables every service with an outbox reads; merged into the app's own config schema. */
export const outboxEnv = z.object({
  /** Off for instances that should only write (the rows wait for an instance with a relay). */
  OUTBOX_RELAY_ENABLED: envFlag.default(true),
  OUTBOX_BATCH_SIZE: envPositiveInt.default(defaultRelayOptions.batchSize),
  /** Fallback poll; NOTIFY wakes the relay at each commit, so this only bounds a missed wake-up. */
  OUTBOX_POLL_INTERVAL_MS: envPositiveInt.default(defaultRelayOptions.pollIntervalMs),
  /**
   * How long the relay waits after a commit wakes it, so the commits of those milliseconds share a
   * batch; 0 publishes each at once. At most a second: it is added to every event's latency.
   */
  OUTBOX_LINGER_MS: envNonNegativeInt.pipe(z.number().max(1_000)).default(defaultRelayOptions.lingerMs),
  OUTBOX_RETENTION_HOURS: envPositiveInt.default(defaultRelayOptions.retentionMs / HOUR_MS),
});

export type OutboxEnv = z.output<typeof outboxEnv>;
