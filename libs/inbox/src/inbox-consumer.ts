import { IntrinsicException, Logger } from '@nestjs/common';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { deadLetterTopicName, EventType, fromKafkaRecord, InvalidEventError } from '@playball/events';
import { backoffDelay } from '@playball/platform/retry';
import {
  counter,
  eventLogFields,
  histogram,
  SpanHandle,
  SpanKind,
  startSpan,
  tracingEnabled,
} from '@playball/platform/observability';
import { ACKS_ALL } from '@playball/platform/kafka';
import { DeadLetterReason, deadLetters, isTooLarge } from './dead-letters';
import { HANDLER_FAILED, isTransient, NonRetryableError } from './errors';
import { BatchHandler, CloudEventOf, eachEvent, EventFailure, EventHandlers, setApplySpan } from './event-handlers';
import { KafkaBatchContext } from './kafka-batch-context';
import { recordProcessed } from './sql/record-processed';

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
// timeout, and the longest a closing consumer waits for a paused batch to give up.
const heartbeatSliceMs = 500;

const consumed = counter('inbox_events_total', 'Events consumed, by outcome', ['consumer', 'outcome']);
const deadLettered = counter('inbox_dead_letters_total', 'Records dead-lettered, by reason code', [
  'consumer',
  'topic',
  'reason',
]);
// From the event's ce_time (its capture in the producer's transaction) to the commit that applied
// it here. The bench measured 15 ms p50 and 104 ms p99 at 200 events/s (README); a backlog after an
// outage is minutes.
const endToEnd = histogram(
  'inbox_end_to_end_latency_seconds',
  'From the event ce_time (captured by its producer) to applied in this consumer view',
  ['consumer', 'type'],
  [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
);

type Outcome = 'applied' | 'duplicate' | 'tombstone' | 'not-handled' | 'dead-lettered';

/** A record of the batch that decoded into an event this consumer handles. */
interface Delivery {
  message: KafkaMessage;
  event: CloudEventOf<EventType>;
}

/** One partition's deliveries of a fetched batch, with the context they came in. */
interface BatchPart {
  context: KafkaBatchContext;
  deliveries: Delivery[];
}

/** Batches that will share a transaction, and every event id among them. */
interface SharedGroup {
  ids: Set<string>;
  members: (BatchPart & { settle: (outcome: SharedOutcome) => void })[];
}

/** Whether a shared transaction applied the batch; if not, the failure it pinned on an event of it. */
type SharedOutcome = { applied: true } | { applied: false; pinned?: EventFailure };

/** Rejects the batch in hand so that its offset stays uncommitted; Nest does not log these. */
class ConsumerStopping extends IntrinsicException {
  constructor() {
    super('consumer stopping: the batch stays uncommitted and will be redelivered');
  }
}

/**
 * Idempotent consumption for `@EventPattern` handlers of InboxKafkaServer, a fetched batch at a
 * time: validate each record at the edge, then in one database transaction record (consumer, event
 * id) for every event of the batch and run the handlers. The server commits the batch's offset
 * only after this resolved, i.e. after the transaction committed; a crash in between redelivers
 * the batch, and the inbox rows turn the redelivery into a no-op.
 */
export class InboxConsumer {
  private readonly logger: Logger;
  private stopping = false;
  /** eachEvent's handler for each `consume()` handlers object, so that its batches can share transactions. */
  private readonly perEventHandlers = new WeakMap<EventHandlers, BatchHandler<EventType>>();
  /** The group of batches forming in this turn of the event loop, by handler (applyShared). */
  private readonly forming = new Map<BatchHandler<EventType>, SharedGroup>();
  private aloneQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: DataSource,
    private readonly options: InboxConsumerOptions,
  ) {
    this.logger = new Logger(`Inbox(${options.consumerGroup})`);
  }

  /** Stops retry loops so that the Kafka consumer can disconnect; unfinished batches are redelivered. */
  stop(): void {
    this.stopping = true;
  }

  /** Applies the batch with a handler per event type, one event after the other. */
  consume(context: KafkaBatchContext, handlers: EventHandlers): Promise<void> {
    let handler = this.perEventHandlers.get(handlers);
    if (!handler) this.perEventHandlers.set(handlers, (handler = eachEvent(handlers)));
    return this.consumeBatch(context, handler);
  }

  /**
   * Applies the batch with a handler that takes all its events at once (set-based writes). Batches
   * handed over at the same time with the same handler object share one transaction, so pass the
   * same object on every call (a field of the consumer, say).
   */
  async consumeBatch<K extends EventType>(context: KafkaBatchContext, handler: BatchHandler<K>): Promise<void> {
    const types = new Set<string>(handler.types);
    const ids = new Set<string>();
    const deliveries: Delivery[] = [];
    let copies = 0;
    for (const message of context.getMessages()) {
      if (message.value === null || message.value === undefined) {
        this.count('tombstone');
        continue;
      }
      let event: CloudEventOf<EventType>;
      try {
        event = fromKafkaRecord(
          context.getTopic(),
          headerStrings(message.headers),
          message.value,
        ) as CloudEventOf<EventType>;
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        await this.deadLetter(context, message, {
          code: error.code,
          reason: error.message,
          firstFailureAt: new Date(),
        });
        continue;
      }
      // A uuid in capitals is the same id (the inbox's uuid column says so too).
      const id = event.id.toLowerCase();
      if (!types.has(event.type)) this.count('not-handled');
      else if (ids.has(id)) copies++;
      else {
        ids.add(id);
        deliveries.push({ message, event });
      }
    }
    if (deliveries.length > 0) {
      const batchHandler = handler as BatchHandler<EventType>;
      this.throwIfStopping(context);
      const shared = await this.applyShared({ context, deliveries }, ids, batchHandler);
      if (!shared.applied) await this.alone(() => this.applyBatch(context, deliveries, batchHandler, shared.pinned));
    }
    // A second copy of an event in the same batch: applied with the first one, at most once.
    this.count('duplicate', copies);
  }

  /**
   * Applies the batch (`ids`: its events' ids, lowercase) in one transaction with the other batches
   * handed over in the same turn of the event loop for the same handler: kafkajs hands every
   * partition's batch of a fetch to its workers
   * at once, and a fetch at 1,000 events/s brought 3.5 batches on average (up to six), each of which
   * paid a transaction and a WAL flush of its own. Not applied when the batch is to be applied on its
   * own: it came alone, an event of it is in another batch of the group (it would be applied twice),
   * the consumer is stopping, or the shared transaction failed; then every batch of the group goes
   * its own way (applyBatch), which retries, splits and dead-letters as for a batch alone. The batch
   * holding the event a failure names gets that failure as its first attempt, as a batch alone would.
   */
  private applyShared(part: BatchPart, ids: Set<string>, handler: BatchHandler<EventType>): Promise<SharedOutcome> {
    let group = this.forming.get(handler);
    if (group && [...ids].some((id) => group!.ids.has(id))) return Promise.resolve({ applied: false });
    if (!group) {
      const forming: SharedGroup = { ids: new Set(), members: [] };
      this.forming.set(handler, (group = forming));
      // After the microtasks of this turn: the fetch's other batches reach this point in them.
      setImmediate(() => void this.applyGroup(handler, forming));
    }
    for (const id of ids) group.ids.add(id);
    return new Promise((settle) => group!.members.push({ ...part, settle }));
  }

  private async applyGroup(handler: BatchHandler<EventType>, group: SharedGroup): Promise<void> {
    this.forming.delete(handler);
    const { members } = group;
    let outcome = (_member: BatchPart): SharedOutcome => ({ applied: false });
    try {
      if (members.length > 1 && !members.some((m) => this.isStopping(m.context))) {
        const failure = await this.attempt(members, handler);
        if (!failure) outcome = () => ({ applied: true });
        else {
          this.logger.debug(`a transaction shared by ${members.length} batches failed; applying each on its own`);
          const { error } = failure;
          outcome = (member) => ({
            applied: false,
            pinned:
              error instanceof EventFailure && member.deliveries.some((d) => d.event === error.event)
                ? error
                : undefined,
          });
        }
      }
    } finally {
      for (const member of members) member.settle(outcome(member));
    }
  }

  /**
   * Runs the batches applied on their own one at a time, so that the consumer holds at most one
   * pooled connection for them beside a shared transaction's (pool size 10, see DATABASE_POOL_SIZE).
   */
  private alone(work: () => Promise<void>): Promise<void> {
    const run = this.aloneQueue.then(work);
    this.aloneQueue = run.catch(() => undefined);
    return run;
  }

  /**
   * One transaction for the whole batch. A transient failure retries all of it (rolled back, so
   * nothing is applied twice). Any other failure splits the batch to isolate the event at fault:
   * around that event when the handler named it (EventFailure), else in halves, down to single
   * events, each then retried or dead-lettered on its own while the others are applied. `pinned` is
   * how a shared transaction failed, when the handler pinned that on an event of this batch: its
   * first attempt.
   */
  private async applyBatch(
    context: KafkaBatchContext,
    deliveries: Delivery[],
    handler: BatchHandler<EventType>,
    pinned?: EventFailure,
  ) {
    if (deliveries.length === 1) return this.applyAlone(context, deliveries[0], handler, pinned);
    for (let attempt = 0; ; attempt++) {
      this.throwIfStopping(context);
      const failure =
        pinned && attempt === 0 ? { error: pinned } : await this.attempt([{ context, deliveries }], handler);
      if (!failure) return;
      if (!isTransient(failure.error)) {
        for (const part of split(deliveries, failure.error)) {
          if (part.deliveries.length > 1) await this.applyBatch(context, part.deliveries, handler);
          else await this.applyAlone(context, part.deliveries[0], handler, part.pinned);
        }
        return;
      }
      this.logger.warn({
        msg: `a batch of ${deliveries.length} events failed, retrying: ${describe(failure.error)}`,
        topic: context.getTopic(),
        partition: context.getPartition(),
        offsets: `${deliveries[0].message.offset}-${deliveries.at(-1)!.message.offset}`,
      });
      await this.pause(context, attempt);
    }
  }

  /**
   * One event in its own transaction: retried with backoff while the failure is transient,
   * dead-lettered at once for a NonRetryableError, and after maxUnclassifiedAttempts for anything
   * else. `pinned` is how its batch failed, when the handler pinned that on this event: its first attempt.
   */
  private async applyAlone(
    context: KafkaBatchContext,
    delivery: Delivery,
    handler: BatchHandler<EventType>,
    pinned?: EventFailure,
  ) {
    let firstFailureAt: Date | undefined;
    let unclassified = 0;
    let failure: { error: unknown } | undefined = pinned && { error: pinned.cause };
    for (let attempt = 0; ; attempt++) {
      if (!failure) {
        this.throwIfStopping(context);
        failure = await this.attempt([{ context, deliveries: [delivery] }], handler);
        if (!failure) return;
      }
      const error = failure.error instanceof EventFailure ? failure.error.cause : failure.error;
      failure = undefined;
      firstFailureAt ??= new Date();
      if (error instanceof NonRetryableError) {
        return this.deadLetter(context, delivery.message, { code: error.code, reason: error.message, firstFailureAt });
      }
      if (!isTransient(error) && ++unclassified >= this.options.maxUnclassifiedAttempts) {
        return this.deadLetter(context, delivery.message, {
          code: HANDLER_FAILED,
          reason: describe(error),
          firstFailureAt,
        });
      }
      const { id, type } = delivery.event;
      this.logger.warn({
        msg: `event ${id} (${type}) failed, retrying: ${describe(error)}`,
        ...eventLogFields(delivery.event, coordinates(context, delivery.message)),
      });
      await this.pause(context, attempt);
    }
  }

  /** applyInTransaction for one or more batches' events, with what it threw (whatever that was) as a value. */
  private async attempt(parts: BatchPart[], handler: BatchHandler<EventType>) {
    const deliveries = parts.length === 1 ? parts[0].deliveries : parts.flatMap((p) => p.deliveries);
    const spans = tracingEnabled() ? parts.flatMap((p) => this.startApplySpans(p.context, p.deliveries)) : undefined;
    let fresh: Set<CloudEventOf<EventType>>;
    try {
      fresh = await this.applyInTransaction(deliveries, handler);
    } catch (error) {
      for (const span of spans ?? []) span.end({ error });
      return { error };
    }
    // After the commit, outside the try: nothing here may turn an applied batch into a failed one.
    spans?.forEach((span, i) =>
      span.end({ attributes: { 'playball.inbox.duplicate': !fresh.has(deliveries[i].event) } }),
    );
    for (const part of parts) this.observeApplied(part.context, part.deliveries, fresh);
    return undefined;
  }

  /**
   * Claims the events in the inbox and hands the ones not applied before to the handler, in one
   * transaction; returns those (the others were duplicates).
   */
  private async applyInTransaction(
    deliveries: Delivery[],
    handler: BatchHandler<EventType>,
  ): Promise<Set<CloudEventOf<EventType>>> {
    const fresh = await this.db.transaction(async (manager) => {
      const events = deliveries.map((d) => d.event);
      const claimed = await recordProcessed(manager, this.options.consumerGroup, events);
      const unseen = events.filter((e) => claimed.has(e.id.toLowerCase()));
      if (unseen.length > 0) await handler.apply(unseen, manager);
      return unseen;
    });
    this.count('applied', fresh.length);
    this.count('duplicate', deliveries.length - fresh.length);
    return new Set(fresh);
  }

  /**
   * A span per event of an attempt, child of the event's capture (its traceparent), for tracing:
   * the attempt's transaction is each event's apply. Only called when tracing is on.
   */
  private startApplySpans(context: KafkaBatchContext, deliveries: Delivery[]): SpanHandle[] {
    return deliveries.map(({ event, message }) => {
      const span = startSpan(`inbox apply ${event.type}`, event.traceparent, {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': context.getTopic(),
          'messaging.destination.partition.id': String(context.getPartition()),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.consumer.group.name': this.options.consumerGroup,
          'messaging.message.id': event.id,
          'cloudevents.event_type': event.type,
        },
      });
      setApplySpan(event, span.traceparent);
      return span;
    });
  }

  /** The end-to-end latency of each event applied, and a debug line for each. */
  private observeApplied(context: KafkaBatchContext, deliveries: Delivery[], fresh: Set<CloudEventOf<EventType>>) {
    const now = Date.now();
    for (const { event, message } of deliveries) {
      if (!fresh.has(event)) continue;
      const seconds = (now - Date.parse(event.time)) / 1000;
      if (Number.isFinite(seconds))
        endToEnd.observe({ consumer: this.options.consumerGroup, type: event.type }, Math.max(0, seconds));
      this.logger.debug({ msg: 'applied', ...eventLogFields(event, coordinates(context, message)) });
    }
  }

  /**
   * Parks the record on `<topic>.<group>.dlq` with its key, value and headers plus the reason, then
   * returns, so that the batch's offset can be committed past it. Publishing the dead letter is
   * itself retried: losing it would lose the event.
   *
   * Each letter is a send() of its own, one record to one partition, awaited before the batch goes
   * on: kafkajs 2.2.4 can drop or duplicate records of a send() whose partitions are led by several
   * brokers when a leader fails over, and still resolve (kafkajs#1303; here 32 and 17 records lost
   * in 2 runs of 3 on a 3-node cluster, while one partition per send() was exact in 3 of 3). A
   * letter lost that way would be lost for good, since the offset commit that follows skips its record.
   *
   * A record near the size limit can become too large once the reason headers are added, and
   * retrying would then block the partition for good. Such a letter goes without the value, then
   * without the original headers, then without the key, saying so in `dlq_omitted`; the original
   * stays readable at `dlq_original_topic/partition/offset` for as long as that topic retains it.
   */
  private async deadLetter(context: KafkaBatchContext, message: KafkaMessage, why: DeadLetterReason) {
    const origin = { topic: context.getTopic(), partition: context.getPartition(), message };
    const topic = deadLetterTopicName(origin.topic, this.options.consumerGroup);
    const headers = headerStrings(message.headers);
    const fields = {
      ...eventLogFields(
        { id: headers.ce_id, type: headers.ce_type, traceparent: headers.traceparent },
        coordinates(context, message),
      ),
      reason: why.code,
    };
    this.logger.warn({
      msg: `dead-lettering ${origin.topic}[${origin.partition}]@${message.offset} to ${topic}: ${why.code} ${why.reason}`,
      ...fields,
    });
    const letters = deadLetters(origin, why);
    for (let attempt = 0, size = 0; ; attempt++) {
      this.throwIfStopping(context);
      try {
        await context.getProducer().send({ topic, acks: ACKS_ALL, messages: [letters[size]] });
      } catch (error) {
        if (isTooLarge(error) && size < letters.length - 1) {
          size++;
          this.logger.error({
            msg: `the dead letter is too large for ${topic}; sending it without ${letters[size].headers!.dlq_omitted}`,
            ...fields,
          });
          continue;
        }
        this.logger.warn({ msg: `dead-lettering failed, retrying: ${describe(error)}`, ...fields });
        await this.pause(context, attempt);
        continue;
      }
      // Counted once the letter is written, outside the retry: a count can never send it twice.
      deadLettered.inc({ consumer: this.options.consumerGroup, topic: origin.topic, reason: why.code });
      return this.count('dead-lettered');
    }
  }

  /**
   * Exponential backoff with jitter, heartbeating so that the group keeps this member while it
   * waits. A failing heartbeat (a rebalance, or this member lost its partitions) is thrown: the
   * batch stays uncommitted and goes to whoever owns the partition now.
   */
  private async pause(context: KafkaBatchContext, attempt: number): Promise<void> {
    const until = Date.now() + backoffDelay(attempt, this.options.backoffInitialMs, this.options.backoffMaxMs);
    while (Date.now() < until && !this.isStopping(context)) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(heartbeatSliceMs, until - Date.now())));
      await context.getHeartbeat()();
    }
  }

  private isStopping(context: KafkaBatchContext): boolean {
    return this.stopping || context.isClosing();
  }

  private throwIfStopping(context: KafkaBatchContext): void {
    if (this.isStopping(context)) throw new ConsumerStopping();
  }

  private count(outcome: Outcome, events = 1): void {
    if (events > 0) consumed.inc({ consumer: this.options.consumerGroup, outcome }, events);
  }
}

/**
 * The parts to apply after a batch failed for good: before, at and after the event the handler
 * named, or two halves when it named none. Only the event named carries the failure along.
 */
function split(deliveries: Delivery[], error: unknown): { deliveries: Delivery[]; pinned?: EventFailure }[] {
  const at = error instanceof EventFailure ? deliveries.findIndex((d) => d.event === error.event) : -1;
  if (at < 0) {
    const half = Math.ceil(deliveries.length / 2);
    return [{ deliveries: deliveries.slice(0, half) }, { deliveries: deliveries.slice(half) }];
  }
  const parts = [
    { deliveries: deliveries.slice(0, at) },
    { deliveries: [deliveries[at]], pinned: error as EventFailure },
    { deliveries: deliveries.slice(at + 1) },
  ];
  return parts.filter((part) => part.deliveries.length > 0);
}

function coordinates(context: KafkaBatchContext, message: KafkaMessage) {
  return { topic: context.getTopic(), partition: context.getPartition(), offset: message.offset };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Header values as text: kafkajs gives bytes, an array for a repeated header (the last one counts). */
export function headerStrings(headers: IHeaders | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const name in headers) {
    const value = headers[name];
    out[name] = (Array.isArray(value) ? value.at(-1) : value)?.toString();
  }
  return out;
}
