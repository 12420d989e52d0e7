import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';

export type Offsets = Map<string, { low: number; high: number }>;

const key = (topic: string, partition: number) => `${topic}:${partition}`;

/** Each partition's log start and high watermark now: where a scan starts and what it must reach. */
export async function highWatermarks(admin: Admin, topics: string[]): Promise<Offsets> {
  const offsets: Offsets = new Map();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      offsets.set(key(topic, p.partition), { low: Number(p.low), high: Number(p.high) });
    }
  }
  return offsets;
}

/** How far a scan has read of the records between the log starts and the targets. */
export interface ScanProgress {
  read: number;
  total: number;
}

/**
 * Reads topics from the beginning under a consumer group of its own (never the app's: its offsets
 * stay untouched), committing nothing, handing each fetched batch to `onBatch` in partition
 * order. The group is deleted when the scan stops, so scans leave nothing behind on the broker.
 */
export class TopicScan {
  private consumer: Consumer | undefined;
  private readonly next = new Map<string, number>();
  private failure: unknown;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly kafka: Kafka,
    readonly groupId: string,
    private readonly topics: string[],
    private readonly onBatch: (topic: string, partition: number, messages: KafkaMessage[]) => Promise<void>,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        try {
          if (batch.messages.length > 0) await this.onBatch(batch.topic, batch.partition, batch.messages);
          this.next.set(key(batch.topic, batch.partition), Number(batch.lastOffset()) + 1);
        } catch (error) {
          this.failure = error;
        }
        this.wake();
      },
    });
  }

  /** Resolves once every partition is read up to `targets` (high watermarks captured earlier). */
  async readTo(targets: Offsets, timeoutMs: number, onProgress: (p: ScanProgress) => void = () => {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      const progress = this.progress(targets);
      onProgress(progress);
      if (progress.read >= progress.total) return;
      if (Date.now() > deadline) {
        throw new Error(
          `read ${progress.read} of ${progress.total} records within ${timeoutMs} ms; is the broker slow?`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 1_000);
        this.waiters.add(done);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  }

  progress(targets: Offsets): ScanProgress {
    let read = 0;
    let total = 0;
    for (const [name, { low, high }] of targets) {
      total += high - low;
      read += Math.min(high, Math.max(low, this.next.get(name) ?? low)) - low;
    }
    return { read, total };
  }

  async stop(admin: Admin): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    await admin.deleteGroups([this.groupId]).catch(() => undefined);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
    this.waiters.clear();
  }
}
