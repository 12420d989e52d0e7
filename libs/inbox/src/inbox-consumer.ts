import { IntrinsicException, Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import type { IHeaders, Message } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent, deadLetterTopicName, EventType, fromKafkaRecord, InvalidEventError } from '@playball/events';
import { backoffDelay, counter, runInTrace } from '@playball/platform';
import { isClosing } from './closing-consumers';
import { isTransient, NonRetryableError } from './errors';
import { recordProcessed } from './sql/record-processed';

/**
 * What a handler receives: the validated event (data and metadata) and its transaction. What it
 * returns is ignored, so it may simply return what it called (applyIfNewer's boolean, say).
 */
export type EventHandler<K extends EventType> = (event: CloudEvent<K>, manager: EntityManager) => Promise<unknown>;
export type EventHandlers = { [K in EventType]?: EventHandler<K> };

export interface InboxConsumerOptions {
  /** The consumer group; also the inbox's `consumer` column and part of the dead-letter topic name. */
  consumerGroup: string;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Attempts for an error that is neither transient nor declared permanent (most likely a bug). */
  maxUnclassifiedAttempts: number;
}

export const defaultInboxConsumerOptions = {
  backoffInitialMs: 100,
  backoffMaxMs: 5_000,
  maxUnclassifiedAttempts: 5,
} satisfies Partial<InboxConsumerOptions>;

// Backoff sleeps in slices this long, heartbeating between them: well inside the 6 s session
// timeout, and the longest a closing consumer waits for a paused message to give up.
const heartbeatSliceMs = 500;

const consumed = counter('inbox_events_total', 'Events consumed, by outcome', ['consumer', 'outcome']);

type Outcome = 'applied' | 'duplicate' | 'tombstone' | 'not-handled' | 'dead-lettered';

interface DeadLetterReason {
  code: string;
  reason: string;
  firstFailureAt: Date;
}

/** Rejects the message in hand so that its offset stays uncommitted; Nest does not log these. */
class ConsumerStopping extends IntrinsicException {
  constructor() {
    super('consumer stopping: the message stays uncommitted and will be redelivered');
  }
}

/**
 * Idempotent consumption for `@EventPattern` handlers: validate at the edge, then in one database
 * transaction record (consumer, event id) and run the handler. Nest's ServerKafka awaits this, and
 * kafkajs resolves and commits the offset only after it resolves, i.e. after the transaction
 * committed; a crash in between redelivers, and the inbox row turns the redelivery into a no-op.
 */
export class InboxConsumer {
  private readonly logger: Logger;
  private stopping = false;

  constructor(
    private readonly db: DataSource,
    private readonly options: InboxConsumerOptions,
  ) {
    this.logger = new Logger(`Inbox(${options.consumerGroup})`);
  }

  /** Stops retry loops so that the Kafka consumer can disconnect; unfinished messages are redelivered. */
  stop(): void {
    this.stopping = true;
  }

  async consume(context: KafkaContext, handlers: EventHandlers): Promise<void> {
    const message = context.getMessage();
    if (message.value === null || message.value === undefined) return this.count('tombstone');
    let event: CloudEvent;
    try {
      event = fromKafkaRecord(context.getTopic(), headerStrings(message.headers), message.value);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      return this.deadLetter(context, { code: error.code, reason: error.message, firstFailureAt: new Date() });
    }
    const handler = handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) return this.count('not-handled');
    await this.applyWithRetry(context, event, handler);
  }

  private async applyWithRetry(context: KafkaContext, event: CloudEvent, handler: EventHandler<EventType>) {
    let firstFailureAt: Date | undefined;
    let unclassified = 0;
    for (let attempt = 0; ; attempt++) {
      this.throwIfStopping(context);
      try {
        // In the event's trace: what the handler publishes carries the same trace id.
        const applied = await runInTrace(event.traceparent, () =>
          this.db.transaction((manager) => this.applyOnce(manager, event, handler)),
        );
        return this.count(applied ? 'applied' : 'duplicate');
      } catch (error) {
        firstFailureAt ??= new Date();
        if (error instanceof NonRetryableError) {
          return this.deadLetter(context, { code: error.code, reason: error.message, firstFailureAt });
        }
        if (!isTransient(error) && ++unclassified >= this.options.maxUnclassifiedAttempts) {
          return this.deadLetter(context, { code: 'HANDLER.FAILED', reason: describe(error), firstFailureAt });
        }
        this.logger.warn(`event ${event.id} (${event.type}) failed, retrying: ${describe(error)}`);
        await this.pause(context, attempt);
      }
    }
  }

  private async applyOnce(manager: EntityManager, event: CloudEvent, handler: EventHandler<EventType>) {
    if (!(await recordProcessed(manager, this.options.consumerGroup, event.id, event.type))) return false;
    await handler(event, manager);
    return true;
  }

  /**
   * Parks the record on `<topic>.<group>.dlq` with its key, value and headers plus the reason, then
   * returns so that the offset is committed. Publishing the dead letter is itself retried: losing
   * it would lose the event.
   *
   * A record near the size limit can become too large once the reason headers are added, and
   * retrying would then block the partition for good. Such a letter goes without the value, then
   * without the original headers, then without the key, saying so in `dlq_omitted`; the original
   * stays readable at `dlq_original_topic/partition/offset` for as long as that topic retains it.
   */
  private async deadLetter(context: KafkaContext, why: DeadLetterReason) {
    const message = context.getMessage();
    const topic = deadLetterTopicName(context.getTopic(), this.options.consumerGroup);
    this.logger.warn(
      `dead-lettering ${context.getTopic()}[${context.getPartition()}]@${message.offset} to ${topic}: ${why.code} ${why.reason}`,
    );
    const letters = deadLetters(context, why);
    for (let attempt = 0, size = 0; ; attempt++) {
      this.throwIfStopping(context);
      try {
        await context.getProducer().send({ topic, acks: -1, messages: [letters[size]] });
        return this.count('dead-lettered');
      } catch (error) {
        if (isTooLarge(error) && size < letters.length - 1) {
          size++;
          this.logger.error(
            `the dead letter is too large for ${topic}; sending it without ${letters[size].headers!.dlq_omitted}`,
          );
          continue;
        }
        this.logger.warn(`dead-lettering failed, retrying: ${describe(error)}`);
        await this.pause(context, attempt);
      }
    }
  }

  /**
   * Exponential backoff with jitter, heartbeating so that the group keeps this member while it
   * waits. A failing heartbeat (a rebalance, or this member lost its partitions) is thrown: the
   * message stays uncommitted and goes to whoever owns the partition now.
   */
  private async pause(context: KafkaContext, attempt: number): Promise<void> {
    const until = Date.now() + backoffDelay(attempt, this.options.backoffInitialMs, this.options.backoffMaxMs);
    while (Date.now() < until && !this.isStopping(context)) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(heartbeatSliceMs, until - Date.now())));
      await context.getHeartbeat()();
    }
  }

  private isStopping(context: KafkaContext): boolean {
    return this.stopping || isClosing(context.getConsumer());
  }

  private throwIfStopping(context: KafkaContext): void {
    if (this.isStopping(context)) throw new ConsumerStopping();
  }

  private count(outcome: Outcome): void {
    consumed.inc({ consumer: this.options.consumerGroup, outcome });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Header values as text: kafkajs gives bytes, an array for a repeated header (the last one counts). */
function headerStrings(headers: IHeaders | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = (Array.isArray(value) ? value.at(-1) : value)?.toString();
  }
  return out;
}

/** The dead letter, then smaller forms of it for a topic that refuses it as too large. */
function deadLetters(context: KafkaContext, why: DeadLetterReason): Message[] {
  const message = context.getMessage();
  const reason = deadLetterHeaders(context, why);
  return [
    { key: message.key, value: message.value, headers: { ...(message.headers ?? {}), ...reason } },
    { key: message.key, value: null, headers: { ...(message.headers ?? {}), ...reason, dlq_omitted: 'value' } },
    { key: message.key, value: null, headers: { ...reason, dlq_omitted: 'value, headers' } },
    // Our headers alone are bounded (the reason is cut at 1,000 characters): this form always fits.
    { key: null, value: null, headers: { ...reason, dlq_omitted: 'value, headers, key' } },
  ];
}

/** kafkajs wraps the broker's MESSAGE_TOO_LARGE (a non-retriable protocol error) in `cause`s. */
function isTooLarge(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if ((e as { type?: unknown }).type === 'MESSAGE_TOO_LARGE') return true;
  }
  return false;
}

function deadLetterHeaders(context: KafkaContext, why: DeadLetterReason): IHeaders {
  const message = context.getMessage();
  return {
    dlq_error_code: why.code,
    dlq_error_reason: why.reason.slice(0, 1_000),
    dlq_first_failure_time: why.firstFailureAt.toISOString(),
    dlq_original_topic: context.getTopic(),
    dlq_original_partition: String(context.getPartition()),
    dlq_original_offset: message.offset,
  };
}
