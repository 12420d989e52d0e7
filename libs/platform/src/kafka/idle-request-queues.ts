import { createRequire } from 'node:module';

/** The part of kafkajs's RequestQueue (src/network/requestQueue) this module changes. */
interface RequestQueueInternals {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

/** The replacements installed, so that a second call leaves the first in place. */
const patched = new WeakSet<() => void>();

/** The kafkajs release whose RequestQueue was read for this patch. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/**
 * Stops kafkajs 2.2.4's timer loop on idle broker connections. Each connection's RequestQueue
 * re-arms a timer after every check of its queue, pending requests or not, and with nothing throttled
 * the delay comes out negative: Node runs it after 1 ms, for as long as the connection lives
 * (kafkajs issues #1556, #1604 and #1704; the fix in pull request #1667 was never released, and
 * kafkajs has had no release since 2023). A connected, idle producer and admin client spent 430 ms
 * of CPU in 10 s here (4 % of a core), 60 ms with this patch; auth, its relay thread and
 * group-management each hold such connections.
 *
 * The timer only serves requests waiting in the queue (throttled by the broker, or over
 * maxInFlightRequests), and queueing one arms it again (RequestQueue.push), so with the queue
 * empty there is nothing to check. Another kafkajs version is left as it is: the patch was read
 * against this one's code (the unit test fails when the installed version differs).
 */
export function quietIdleRequestQueues(): boolean {
  const require = createRequire(__filename);
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== PATCHED_KAFKAJS_VERSION) return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
  const check = RequestQueue.prototype.scheduleCheckPendingRequests;
  if (patched.has(check)) return true;
  const onlyWhenPending = function (this: RequestQueueInternals): void {
    if (this.pending.length > 0) check.call(this);
  };
  patched.add(onlyWhenPending);
  RequestQueue.prototype.scheduleCheckPendingRequests = onlyWhenPending;
  return true;
}
