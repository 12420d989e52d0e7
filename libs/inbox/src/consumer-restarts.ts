import { Backoff } from '@playball/platform/retry';

/** What ConsumerRestarts starts and stops: the server's consumer (and its producer). */
export interface RestartableConsumer {
  /** Connects, subscribes and runs; rejects when any step fails. */
  start(): Promise<void>;
  /** Disconnects whatever start() connected; never rejects. */
  disconnect(): Promise<void>;
  /** An attempt failed; the next one comes after `delayMs`. */
  failed(error: Error, delayMs: number): void;
}

/** How long stop() gives an attempt in progress before the caller disconnects under it. */
const STOP_GRACE_MS = 5_000;

/**
 * Starts a consumer in the background and keeps it started: retries with backoff while the broker
 * is unreachable, and starts over after a crash kafkajs does not recover from itself.
 *
 * A broker that is down at boot would otherwise fail the whole app, HTTP API included, and an
 * orchestrator would restart it in a loop; this way the API serves what it can, /health reports
 * the broker down, and consumption begins when the broker answers.
 */
export class ConsumerRestarts {
  private attempt: Promise<void> | undefined;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  // Between restarts after crashes kafkajs gave up on: 1 s, doubling up to 30 s, so a crash that
  // repeats at once does not spin.
  private readonly crashBackoff = new Backoff(1_000, 30_000);

  constructor(private readonly consumer: RestartableConsumer) {}

  /** Starts the consumer in the background; returns at once. */
  begin(): void {
    this.stopped = false;
    this.attempt = this.startWhenReachable();
  }

  /**
   * kafkajs restarts a consumer after a retriable crash, but after any other (an authorization
   * error, say) it leaves it disconnected for good, and the instance would serve HTTP without ever
   * consuming again. Start over as at boot instead.
   */
  afterCrash(): void {
    if (this.stopped) return;
    const previous = this.attempt;
    this.attempt = (async () => {
      await previous;
      await this.consumer.disconnect();
      await this.startWhenReachable(this.crashBackoff.next());
    })();
  }

  /**
   * Stops retrying. An attempt in progress (a connect ends within kafkajs's retries, about 15 s with
   * ours; a join within rebalanceTimeout) is given 5 s, after which the caller disconnects under
   * it, so that shutdown stays within a usual 30 s grace period; the attempt then fails and stops.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.attempt, new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(timer);
  }

  private async startWhenReachable(firstDelayMs = 0): Promise<void> {
    // 10 s at most between attempts: consumption resumes within about that of the broker's return.
    const backoff = new Backoff(500, 10_000);
    if (firstDelayMs > 0) await this.sleep(firstDelayMs);
    while (!this.stopped) {
      try {
        await this.consumer.start();
        return;
      } catch (error) {
        await this.consumer.disconnect();
        if (this.stopped) return;
        const delayMs = Math.round(backoff.next());
        this.consumer.failed(error as Error, delayMs);
        await this.sleep(delayMs);
      }
    }
  }

  /** Waits `ms`, or less if stopped meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
