import { DataSource } from 'typeorm';
import { Topics } from '@playball/events';
import {
  defaultRelayOptions,
  KafkaOutboxPublisher,
  OutboxPublisher,
  OutboxRelay,
  RelayOptions,
  ClaimedRow,
  PublishedRecord,
  TOMBSTONE_TYPE,
} from '@playball/outbox';
import { poolOf } from '@playball/platform/database';
import { kafkaBrokers } from '../../../support/infrastructure';
import { withAdmin } from '../../../support/kafka';

export function widgetPublisher(topicPrefix: string, partitions = 3): KafkaOutboxPublisher {
  return new KafkaOutboxPublisher({
    kafka: { KAFKA_BROKERS: kafkaBrokers, KAFKA_CLIENT_ID: 'outbox-test' },
    topicPrefix,
    partitions,
    topics: [Topics.user],
  });
}

/** A relay that polls fast, so tests wait on conditions that come quickly. */
export function widgetRelay(
  db: DataSource,
  databaseUrl: string,
  publisher: OutboxPublisher,
  options: Partial<RelayOptions> = {},
): OutboxRelay {
  return new OutboxRelay(poolOf(db), publisher, {
    ...defaultRelayOptions,
    pollIntervalMs: 100,
    standbyIntervalMs: 100,
    backoffInitialMs: 50,
    backoffMaxMs: 500,
    service: 'widgets',
    databaseUrl,
    ...options,
  });
}

/** The ids of every event the outbox holds, i.e. every event that committed. */
export async function committedEventIds(db: DataSource): Promise<string[]> {
  const rows = (await db.query(`select event_id from outbox where type <> $1 order by id`, [TOMBSTONE_TYPE])) as {
    event_id: string;
  }[];
  return rows.map((r) => r.event_id);
}

export async function unpublishedCount(db: DataSource): Promise<number> {
  const [row] = (await db.query(`select count(*)::int as n from outbox where published_at is null`)) as [{ n: number }];
  return row.n;
}

/** Deletes the topics a test file created under its prefix, so the shared broker does not fill up. */
export async function deleteTopics(topicPrefix: string): Promise<void> {
  await withAdmin(async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  });
}

/** Wraps a publisher to record what went through it, e.g. to tell which relay published. */
export class RecordingPublisher implements OutboxPublisher {
  readonly published: ClaimedRow[] = [];

  constructor(private readonly inner: OutboxPublisher) {}

  async publish(rows: ClaimedRow[]): Promise<PublishedRecord[]> {
    const published = await this.inner.publish(rows);
    this.published.push(...rows);
    return published;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
