import { randomBytes } from 'node:crypto';
import { Admin, Consumer, EachMessagePayload, Kafka, logLevel } from 'kafkajs';
import { CloudEvent, toKafkaHeaders } from '@playball/events';
import { kafkaBrokers } from './infrastructure';
import { eventually } from './eventually';

export const kafka = new Kafka({ clientId: 'playball-tests', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });

/** A name no other test file uses, so that tests sharing the broker never see each other's records. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Puts `event` on `topic` as its owner's relay would (binary CloudEvents, keyed by its subject), acks=all. */
export async function produceEvent(topic: string, event: CloudEvent): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: event.subject, value: JSON.stringify(event.data), headers: toKafkaHeaders(event) }],
    });
  } finally {
    await producer.disconnect();
  }
}

export async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

export interface ReceivedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads topics from the beginning into memory until stopped; for asserting what was published. */
export class TopicReader {
  readonly records: ReceivedRecord[] = [];
  private consumer: Consumer | undefined;

  constructor(private readonly topics: string[]) {}

  async start(): Promise<this> {
    this.consumer = kafka.consumer({
      groupId: uniqueName('reader'),
      sessionTimeout: 6_000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 500,
    });
    await this.consumer.connect();
    try {
      await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
      await this.consumer.run({ eachMessage: async (payload) => this.receive(payload) });
    } catch (error) {
      // A connected consumer left behind keeps jest's process alive long after the failure.
      await this.stop();
      throw error;
    }
    return this;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** Polls until at least `count` records satisfy the filter, then returns all of them. */
  async waitFor(count: number, filter: (r: ReceivedRecord) => boolean = () => true, timeoutMs = 20_000) {
    return eventually(() => {
      const matching = this.records.filter(filter);
      if (matching.length < count) throw new Error(`saw ${matching.length} of ${count} records`);
      return matching;
    }, timeoutMs);
  }

  /**
   * Polls until a record of each event id (`ce_id`) has been received, then returns every record.
   * Where a batch may be published twice, a count of records can be reached before the last events.
   */
  async waitForEvents(eventIds: string[], timeoutMs = 20_000): Promise<ReceivedRecord[]> {
    return eventually(() => {
      const seen = new Set(this.records.map((r) => r.headers.ce_id));
      const missing = eventIds.filter((id) => !seen.has(id));
      if (missing.length > 0) throw new Error(`${missing.length} of ${eventIds.length} events not seen`);
      return this.records;
    }, timeoutMs);
  }

  private receive({ topic, partition, message }: EachMessagePayload): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined) headers[name] = value.toString();
    }
    this.records.push({
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value,
      headers,
    });
  }
}
