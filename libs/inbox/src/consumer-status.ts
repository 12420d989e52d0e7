import { Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckResult } from '@playball/platform/health';

/**
 * Whether this process's Kafka consumer is in its group and fetching. The Kafka server reports into
 * it; `/health` reads it, so an instance that serves HTTP but does not consume is reported down.
 */
@Injectable()
export class InboxConsumerStatus implements HealthCheck {
  readonly name = 'consumer';
  private running = false;
  private reason = 'not started';
  private waiters: (() => void)[] = [];

  consuming(): void {
    this.running = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  stopped(reason: string): void {
    this.running = false;
    this.reason = reason;
  }

  /** Resolves once the consumer is running (at once if it is). */
  whenConsuming(): Promise<void> {
    if (this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  check(): Promise<HealthCheckResult> {
    return Promise.resolve(this.running ? { status: 'up' } : { status: 'down', reason: this.reason });
  }
}
