import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Consumer, Message, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { deadLetterTopicName, Topics, topicName } from '@playball/events';
import { InboxKafkaServer, InboxModuleOptions } from '@playball/inbox';
import { ACKS_ALL, safeProducerConfig } from '@playball/platform/kafka';
import { createTestDatabase, TestDatabase } from '../../../support/databases';
import { withDeadline } from '../../../support/eventually';
import { kafkaBrokers } from '../../../support/infrastructure';
import { kafka, TopicReader, uniqueName, withAdmin } from '../../../support/kafka';
import { libsDataSourceOptions } from '../../../support/libs-data-source';
import { CreateInboxTestState1764199999999 } from './state-table.migration';
import { ConsumerHooks, TestConsumerModule } from './test-consumer.module';

export interface ConsumerOptions extends ConsumerHooks {
  inbox?: Partial<InboxModuleOptions>;
  /** kafkajs session timeout; the outage test sets it below the outage to prove heartbeats. */
  sessionTimeout?: number;
  /** Resolve once started, without waiting for the consumer to join its group. */
  joined?: false;
}

export interface TestConsumer {
  app: INestMicroservice;
  /** Group joins after start-up: a consumer that stops heartbeating is evicted and joins again. */
  rejoins(): number;
  close(): Promise<void>;
  server: InboxKafkaServer;
}

export interface EffectRow {
  seq: number;
  event_id: string;
  user_id: string;
  version: number;
  type: string;
  changed: boolean;
}

// Small backoffs keep the retry tests fast; production defaults are 100 ms to 5 s.
const fastRetries = { backoffInitialMs: 20, backoffMaxMs: 200, maxUnclassifiedAttempts: 3 };

/**
 * One test's world: its own database (outbox + inbox tables from the libs template, plus the test
 * state tables), its own topic prefix and consumer group, a producer, and the consumers it starts.
 */
export class Testbed {
  readonly topicPrefix = uniqueName('t') + '.';
  readonly consumerGroup = uniqueName('inbox-test');
  readonly topic = topicName(Topics.user.name, this.topicPrefix);
  readonly deadLetterTopic = deadLetterTopicName(this.topic, this.consumerGroup);
  private readonly closers: (() => Promise<void>)[] = [];

  private constructor(
    readonly database: TestDatabase,
    readonly db: DataSource,
    private readonly producer: Producer,
  ) {}

  static async create(): Promise<Testbed> {
    const database = await createTestDatabase('libs');
    const options = libsDataSourceOptions(database.url);
    const db = new DataSource({
      ...options,
      migrations: [...(options.migrations as []), CreateInboxTestState1764199999999],
    });
    await db.initialize();
    await db.runMigrations();
    // As the relay publishes: the Java-compatible partitioner, acks from all in-sync replicas.
    const producer = kafka.producer(safeProducerConfig);
    await producer.connect();
    const testbed = new Testbed(database, db, producer);
    testbed.closers.push(
      () => database.drop(),
      () => db.destroy(),
      () => producer.disconnect(),
    );
    return testbed;
  }

  /** Starts the consumer as a Nest microservice through InboxKafkaServer; topics exist when this resolves. */
  async startConsumer(options: ConsumerOptions = {}): Promise<TestConsumer> {
    const server = new InboxKafkaServer({
      kafka: { KAFKA_BROKERS: kafkaBrokers, KAFKA_CLIENT_ID: 'inbox-test' },
      consumerGroup: this.consumerGroup,
      topicPrefix: this.topicPrefix,
      partitions: 3,
      ...(options.sessionTimeout
        ? { consumer: { sessionTimeout: options.sessionTimeout, heartbeatInterval: 500 } }
        : {}),
    });
    const inbox = {
      consumerGroup: this.consumerGroup,
      ...fastRetries,
      ...options.inbox,
    };
    const app = await NestFactory.createMicroservice(TestConsumerModule.forRoot(this.database.url, inbox, options), {
      strategy: server,
      logger: ['error'],
    });
    let closed: Promise<void> | undefined;
    const close = () => (closed ??= app.close());
    this.closers.push(close);
    await app.listen();
    if (options.joined === false) return { app, close, rejoins: () => 0, server };
    await withDeadline(server.consumerStatus.whenConsuming(), 30_000, 'the consumer did not join its group');
    let joins = 0;
    const consumer = server.unwrap<[unknown, Consumer]>()[1];
    consumer.on(consumer.events.GROUP_JOIN, () => joins++);
    return { app, close, rejoins: () => joins, server };
  }

  async produce(messages: Message[], chunk = 200): Promise<void> {
    for (let i = 0; i < messages.length; i += chunk) {
      await this.producer.send({ topic: this.topic, acks: ACKS_ALL, messages: messages.slice(i, i + chunk) });
    }
  }

  /** Reads the dead-letter topic from the beginning until the testbed closes. */
  async readDeadLetters(): Promise<TopicReader> {
    const reader = await new TopicReader([this.deadLetterTopic]).start();
    this.closers.push(() => reader.stop());
    return reader;
  }

  /** How many records a topic holds (the sum of its partitions' high watermarks). */
  async recordCount(topic: string): Promise<number> {
    const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  }

  /** True when the group has committed every partition of the topic up to its end. */
  async committedToEnd(): Promise<boolean> {
    return withAdmin(async (admin) => {
      const ends = await admin.fetchTopicOffsets(this.topic);
      const [committed] = await admin.fetchOffsets({ groupId: this.consumerGroup, topics: [this.topic] });
      return ends.every((end) => {
        const offset = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        return end.high === '0' || offset === end.high;
      });
    });
  }

  effects(): Promise<EffectRow[]> {
    return this.db.query(`select seq::int, event_id, user_id, version, type, changed from effects order by seq`);
  }

  async inboxEventIds(): Promise<string[]> {
    const rows = (await this.db.query(`select event_id from inbox where consumer = $1`, [this.consumerGroup])) as {
      event_id: string;
    }[];
    return rows.map((r) => r.event_id);
  }

  async state(userId: string): Promise<{ version: number; name: string | null; deleted: boolean } | undefined> {
    const [row] = (await this.db.query(
      `select version, name, deleted_at is not null as deleted from user_state where id = $1`,
      [userId],
    )) as { version: number; name: string | null; deleted: boolean }[];
    return row;
  }

  /** Closes consumers first, then the producer, the data source and the database, whatever failed. */
  async close(): Promise<void> {
    const errors: unknown[] = [];
    for (const close of this.closers.reverse()) await close().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  }
}

const open: Testbed[] = [];

/** A testbed that `closeTestbeds()` (in afterEach) closes. */
export async function createTestbed(): Promise<Testbed> {
  const testbed = await Testbed.create();
  open.push(testbed);
  return testbed;
}

export async function closeTestbeds(): Promise<void> {
  const closing = open.splice(0);
  const results = await Promise.allSettled(closing.map((t) => t.close()));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
