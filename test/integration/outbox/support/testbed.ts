import { DataSource } from 'typeorm';
import { Topics, topicName } from '@playball/events';
import { KafkaOutboxPublisher, OutboxRelay, RelayOptions } from '@playball/outbox';
import { createTestDatabase, TestDatabase } from '../../../support/databases';
import { TopicReader, uniqueName } from '../../../support/kafka';
import { deleteTopics, widgetPublisher, widgetRelay } from './relay';
import { widgetDataSource } from './widget';

/** What an outbox test file stands on: its own database with widgets, its own topic prefix, a publisher. */
export interface OutboxTestbed {
  readonly prefix: string;
  /** The user topic under `prefix`, where widget events go. */
  readonly topic: string;
  readonly database: TestDatabase;
  /** The libs' tables plus `widgets`, with the outbox capturing widget changes. */
  readonly db: DataSource;
  readonly publisher: KafkaOutboxPublisher;
  /** A fast-polling relay over `db`, publishing through `publisher`; not started. */
  relay(options?: Partial<RelayOptions>): OutboxRelay;
  /** A reader of `topic` from the beginning, started. */
  readTopic(): Promise<TopicReader>;
  /** Closes the publisher and the data source, drops the database and deletes the prefix's topics. */
  close(): Promise<void>;
}

export interface TestbedOptions {
  /** Partitions of the user topic; 3 by default. */
  partitions?: number;
  /** Connections of `db`; 10 by default. */
  poolSize?: number;
  /** Whether to create the topics up front; a test of their creation leaves it to the publisher. */
  createTopics?: boolean;
}

export async function openOutboxTestbed(options: TestbedOptions = {}): Promise<OutboxTestbed> {
  const prefix = uniqueName('t') + '.';
  const topic = topicName(Topics.user.name, prefix);
  const database = await createTestDatabase('libs');
  const db = await widgetDataSource(database.url, options.poolSize);
  const publisher = widgetPublisher(prefix, options.partitions);
  if (options.createTopics ?? true) await publisher.ensureTopics();
  return {
    prefix,
    topic,
    database,
    db,
    publisher,
    relay: (relayOptions) => widgetRelay(db, database.url, publisher, relayOptions),
    readTopic: () => new TopicReader([topic]).start(),
    async close() {
      await publisher.close();
      await db.destroy();
      await database.drop();
      await deleteTopics(prefix);
    },
  };
}
