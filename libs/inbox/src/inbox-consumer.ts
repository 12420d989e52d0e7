import { Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { CloudEvent, deadLetterTopicName, EventType, fromKafkaRecord, InvalidEventError } from '@playball/events';
import { counter } from '@playball/platform';
import { isTransient, NonRetryableError } from './errors';
import { recordProcessed } from './sql/record-processed';

/** What a handler receives: the validated event (data and metadata) and its transaction. */
export type EventHandler<K extends EventType> = (event: CloudEvent<K>, manager: EntityManager) => Promise<void>;
export type EventHandlers = { [K in EventType]?: EventHandler<K> };

export interface InboxConsumerOptions {
  /** The consumer group; also the inbox's `consumer` column and part of the dead-letter topic name. */
  consumerGroup: string;
  topicPrefix: string;
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

const consumed = counter('inbox_events_total', 'Events consumed, by outcome', ['consumer', 'outcome']);

class ConsumerStopping extends Error {
  constructor() {
    super('consumer stopping: the message stays uncommitted and will be redelivered');
  }
}

/**
 * Idempotent consumption for `@EventPattern` handlers: validate at the edge, then in one database
 * transaction record (consumer, event id) and run the handler. The offset is committed by kafkajs
 * only after this resolves, i.e. after the transaction committed; a crash in between redelivers,
 * and the inbox row turns the redelivery into a no-op.
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
    if (message.value === null || message.value === undefined) {
      consumed.inc({ consumer: this.options.consumerGroup, outcome: 'tombstone' });
      return;
    }
    let event: CloudEvent;
    try {
      event = fromKafkaRecord(headerStrings(message.headers), message.value as Buffer);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      return this.deadLetter(context, error.code, error.message, new Date());
    }
    const handler = handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) {
      consumed.inc({ consumer: this.options.consumerGroup, outcome: 'not-handled' });
      return;
    }
    await this.applyWithRetry(context, event, handler);
  }

  private async applyWithRetry(context: KafkaContext, event: CloudEvent, handler: EventHandler<EventType>) {
    const firstFailure = { at: undefined as Date | undefined };
    let unclassified = 0;
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) throw new ConsumerStopping();
      try {
        const applied = await this.db.transaction((manager) => this.applyOnce(manager, event, handler));
        consumed.inc({ consumer: this.options.consumerGroup, outcome: applied ? 'applied' : 'duplicate' });
        return;
      } catch (error) {
        firstFailure.at ??= new Date();
        if (error instanceof NonRetryableError) {
          return this.deadLetter(context, error.code, error.message, firstFailure.at);
        }
        if (!isTransient(error) && ++unclassified >= this.options.maxUnclassifiedAttempts) {
          return this.deadLetter(context, 'HANDLER.FAILED', String((error as Error).message ?? error), firstFailure.at);
        }
        this.logger.warn(`event ${event.id} (${event.type}) failed, retrying: ${(error as Error).message}`);
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
   */
  private async deadLetter(context: KafkaContext, code: string, reason: string, firstFailureAt: Date) {
    const message = context.getMessage();
    const topic = deadLetterTopicName(context.getTopic(), this.options.consumerGroup);
    this.logger.warn(`dead-lettering ${context.getTopic()}[${context.getPartition()}]@${message.offset} to ${topic}: ${code} ${reason}`);
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) throw new ConsumerStopping();
      try {
        await context.getProducer().send({
          topic,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers: deadLetterHeaders(context, message, code, reason, firstFailureAt) }],
        });
        consumed.inc({ consumer: this.options.consumerGroup, outcome: 'dead-lettered' });
        return;
      } catch (error) {
        this.logger.warn(`dead-lettering failed, retrying: ${(error as Error).message}`);
        await this.pause(context, attempt);
      }
    }
  }

  /** Exponential backoff with jitter; heartbeats so the group does not evict a waiting consumer. */
  private async pause(context: KafkaContext, attempt: number): Promise<void> {
    const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** attempt);
    const until = Date.now() + ceiling / 2 + Math.random() * (ceiling / 2);
    while (Date.now() < until && !this.stopping) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, until - Date.now())));
      await context.getHeartbeat()().catch(() => undefined);
    }
  }
}

function headerStrings(headers: IHeaders | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = Array.isArray(value) ? value.at(-1)?.toString() : value?.toString();
  }
  return out;
}

function deadLetterHeaders(
  context: KafkaContext,
  message: KafkaMessage,
  code: string,
  reason: string,
  firstFailureAt: Date,
): IHeaders {
  return {
    ...(message.headers ?? {}),
    dlq_error_code: code,
    dlq_error_reason: reason.slice(0, 1_000),
    dlq_first_failure_time: firstFailureAt.toISOString(),
    dlq_original_topic: context.getTopic(),
    dlq_original_partition: String(context.getPartition()),
    dlq_original_offset: message.offset,
  };
}
