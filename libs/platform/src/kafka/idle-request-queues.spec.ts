import { createRequire } from 'node:module';
import { PATCHED_KAFKAJS_VERSION, quietIdleRequestQueues } from './idle-request-queues';

const require = createRequire(__filename);

interface Queue {
  pending: unknown[];
  checkPendingRequests(): void;
}
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => Queue;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function queue(): Queue {
  return new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 1_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: silent,
  });
}

describe('quietIdleRequestQueues', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('was read against the installed kafkajs, and patches it', () => {
    expect((require('kafkajs/package.json') as { version: string }).version).toBe(PATCHED_KAFKAJS_VERSION);
    expect(quietIdleRequestQueues()).toBe(true);
    expect(quietIdleRequestQueues()).toBe(true);
  });

  it('arms no timer for a connection with nothing queued', () => {
    quietIdleRequestQueues();
    queue().checkPendingRequests();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still arms the timer that sends a queued request', () => {
    quietIdleRequestQueues();
    const waiting = queue();
    // A request queued while another is in flight (maxInFlightRequests 1) waits for this check.
    (waiting as unknown as { inflight: Map<number, unknown> }).inflight.set(1, {});
    waiting.pending.push({ correlationId: 2 });
    waiting.checkPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
  });
});
