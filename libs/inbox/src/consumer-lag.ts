import type { Admin } from 'kafkajs';

/** What reading the lag needs of an admin client (kafkajs's, or the one Nest's Kafka client types). */
export type LagAdmin = Pick<Admin, 'connect' | 'disconnect' | 'fetchOffsets' | 'fetchTopicOffsets'>;
import { Gauge, register } from 'prom-client';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; null when it has committed none (it starts from the beginning). */
  committed: string | null;
  highWatermark: string;
  /** Records on the partition after the group's committed offset. */
  lag: number;
}

/**
 * The group's lag on each partition of `topics`, from the broker: its end offset minus the group's
 * committed offset (a partition the group never committed on counts from its start). Read from the
 * broker rather than from the consumer's fetches, so it keeps growing while the consumer is stuck
 * or gone: what an alert needs.
 */
export async function consumerLag(admin: LagAdmin, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const lags: PartitionLag[] = [];
  for (const { topic, partitions } of committed) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const end of ends) {
      const own = partitions.find((p) => p.partition === end.partition)?.offset;
      const at = own === undefined || Number(own) < 0 ? null : own;
      const lag = Math.max(0, Number(end.high) - Number(at ?? end.low));
      lags.push({ topic, partition: end.partition, committed: at, highWatermark: end.high, lag });
    }
  }
  return lags;
}

/** A scrape waits this long for the broker; a slower answer leaves the lag out of that scrape. */
const LAG_TIMEOUT_MS = 2_000;

type LagSource = () => Promise<{ consumer: string; lags: PartitionLag[] }>;
const sources = new Set<LagSource>();

/**
 * inbox_consumer_lag, measured at each scrape for every consumer of this process. Absent for a
 * consumer whose broker does not answer in 2 s: a stale figure would hide an outage (the
 * consumer's /health says it is down then).
 */
function ensureLagGauge(): void {
  if (register.getSingleMetric('inbox_consumer_lag')) return;
  new Gauge({
    name: 'inbox_consumer_lag',
    help: 'Records not yet consumed per partition: end offset minus the group committed offset',
    labelNames: ['consumer', 'topic', 'partition'],
    async collect() {
      this.reset();
      const results = await Promise.allSettled([...sources].map((source) => withTimeout(source(), LAG_TIMEOUT_MS)));
      for (const result of results) {
        if (result.status !== 'fulfilled') continue;
        const { consumer, lags } = result.value;
        for (const { topic, partition, lag } of lags) this.set({ consumer, topic, partition: String(partition) }, lag);
      }
    },
  });
}

/**
 * Reports the lag of `groupId` on `topics` through one admin client of `kafka`, connected at the
 * first scrape and rebuilt after a failure. Returns what stops it.
 */
export function reportConsumerLag(
  kafka: { admin(): LagAdmin },
  groupId: string,
  topics: () => string[],
): () => Promise<void> {
  let admin: LagAdmin | undefined;
  const source: LagSource = async () => {
    try {
      if (!admin) {
        admin = kafka.admin();
        await admin.connect();
      }
      return { consumer: groupId, lags: await consumerLag(admin, groupId, topics()) };
    } catch (error) {
      const broken = admin;
      admin = undefined;
      await broken?.disconnect().catch(() => undefined);
      throw error;
    }
  };
  ensureLagGauge();
  sources.add(source);
  return async () => {
    sources.delete(source);
    await admin?.disconnect().catch(() => undefined);
    admin = undefined;
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
