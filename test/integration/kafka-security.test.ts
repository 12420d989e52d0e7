import { randomUUID } from 'node:crypto';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { createEvent, deadLetterTopic, EventTopic, toKafkaHeaders, Topics } from '@playball/events';
import { ClaimedRow, KafkaOutboxPublisher } from '@playball/outbox';
import { ensureTopics, kafkaClientConfig } from '@playball/platform/kafka';
import { startAuth, startGroupManagement } from '../support/apps';
import { eventually, withDeadline } from '../support/eventually';
import { http, signUp } from '../support/http';
import { Principal, SecuredBroker } from '../support/secured-broker';

const consumerGroup = 'group-management';

function userRow(): ClaimedRow {
  const event = createEvent('playball.user.registered.v1', { userId: randomUUID(), displayName: 'Ada', version: 1 });
  const headers = toKafkaHeaders(event);
  return {
    id: '1',
    event_id: event.id,
    topic: Topics.user.name,
    key: event.subject,
    type: event.type,
    headers,
    value: JSON.stringify(event.data),
  };
}

describe('the broker with KAFKA_SECURITY=sasl: TLS, one principal per app, ACLs that match the contract', () => {
  let broker: SecuredBroker;

  beforeAll(async () => {
    broker = await SecuredBroker.start();
  }, 120_000);

  afterAll(() => broker?.stop());

  /** A kafkajs client logged in as the principal, as the app's own config builds it; it keeps kafkajs's log. */
  function as(principal: Principal, log: string[] = []): Kafka {
    return new Kafka({
      ...kafkaClientConfig(broker.env(principal), 'test'),
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => log.push(entry.log.error ?? entry.log.message),
    });
  }

  async function publishAs(principal: Principal, rows: ClaimedRow[], topics: EventTopic[] = [Topics.user]) {
    const publisher = new KafkaOutboxPublisher({
      kafka: broker.env(principal),
      topicPrefix: '',
      partitions: 1,
      topics,
    });
    try {
      await publisher.publish(rows);
    } finally {
      await publisher.close();
    }
  }

  /**
   * Joins `groupId` as the principal and reads one record of the user topic, or fails. kafkajs
   * reports a refused group as "group coordinator not found"; the broker's reason is in `log`.
   */
  async function readOneAs(principal: Principal, groupId: string, log: string[] = []): Promise<string> {
    const consumer = as(principal, log).consumer({
      groupId,
      sessionTimeout: 6_000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 500,
      retry: { retries: 3, restartOnFailure: () => Promise.resolve(false) },
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [Topics.user.name], fromBeginning: true });
      return await withDeadline(
        new Promise<string>((resolve, reject) => {
          consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
          consumer.run({ eachMessage: async ({ message }) => resolve(String(message.key)) }).catch(reject);
        }),
        30_000,
        `${principal} neither read nor was refused`,
      );
    } finally {
      await consumer.disconnect();
    }
  }

  it('refuses a client that does not authenticate', async () => {
    // kafkajs connects (the broker answers ApiVersions before any SASL exchange); the first real request fails.
    const admin = broker.client().admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toMatchObject({
      name: expect.stringMatching(/^KafkaJS(ConnectionClosedError|NumberOfRetriesExceeded)$/),
    });
    await admin.disconnect();
  });

  it('refuses a client that does not use TLS, even with the right password', async () => {
    const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = broker.env('auth');
    const admin = broker
      .client({ tls: false, sasl: { mechanism: 'scram-sha-512', username: username!, password: password! } })
      .admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect();
  });

  it('refuses a wrong password', async () => {
    const wrong = broker
      .client({ sasl: { mechanism: 'scram-sha-512', username: 'auth', password: 'not-the-password' } })
      .admin();
    await expect(wrong.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await wrong.disconnect();
  });

  it('lets auth publish its user events, and group-management read them in its own consumer group', async () => {
    const row = userRow();
    await publishAs('auth', [row]);
    expect(await readOneAs('group-management', consumerGroup)).toBe(row.key);
  });

  it('lets group-management publish its own events and its dead letters, creating their topics', async () => {
    const groupEvent = createEvent('playball.group.deleted.v1', {
      groupId: randomUUID(),
      reason: 'deleted-by-admin',
      version: 1,
    });
    const row = {
      id: '2',
      event_id: groupEvent.id,
      topic: Topics.group.name,
      key: groupEvent.subject,
      type: groupEvent.type,
      headers: toKafkaHeaders(groupEvent),
      value: JSON.stringify(groupEvent.data),
    };
    await publishAs('group-management', [row], [Topics.group]);

    const dlq = deadLetterTopic(Topics.user.name, consumerGroup);
    const client = as('group-management');
    expect(
      await ensureTopics(client, [{ spec: dlq, partitions: 1 }], '', { replicationFactor: 1, minInsyncReplicas: 1 }),
    ).toEqual([]);
    const producer = client.producer();
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: dlq.name, acks: -1, messages: [{ key: 'k', value: 'v' }] }),
      ).resolves.toBeDefined();
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses group-management writing auth.user.v1', async () => {
    await publishAs('auth', [userRow()]);
    const producer = as('group-management').producer();
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: Topics.user.name, acks: -1, messages: [{ key: randomUUID(), value: '{}' }] }),
      ).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    } finally {
      await producer.disconnect();
    }
  });

  it("refuses another principal joining group-management's consumer group", async () => {
    await publishAs('auth', [userRow()]);
    const log: string[] = [];
    await expect(readOneAs('auth', consumerGroup, log)).rejects.toMatchObject({
      name: 'KafkaJSGroupCoordinatorNotFound',
    });
    expect(log).toContainEqual(expect.stringMatching(/Group authorization failed/));
  });

  it('gives WRITE on each topic of the contract to its owner only', async () => {
    const admin = as('admin').admin();
    await admin.connect();
    try {
      for (const topic of Object.values(Topics)) {
        const { resources } = await admin.describeAcls({
          resourceType: AclResourceTypes.TOPIC,
          resourceName: topic.name,
          resourcePatternType: ResourcePatternTypes.MATCH,
          operation: AclOperationTypes.WRITE,
          permissionType: AclPermissionTypes.ALLOW,
        });
        const writers = resources.flatMap((r) => r.acls.map((a) => a.principal));
        expect(writers).toEqual([`User:${topic.owner.slice(1)}`]);
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('runs both apps on it, each as its own principal: a user registered in auth creates a group at once', async () => {
    const auth = await startAuth('', broker.appEnv('auth'));
    try {
      const groups = await startGroupManagement('', auth.url, {
        ...broker.appEnv('group-management'),
        KAFKA_CONSUMER_GROUP: consumerGroup,
      });
      try {
        const ada = await signUp(auth.url, 'Ada');
        const created = await http('POST', `${groups.url}/groups`, { token: ada.token, body: { name: 'Chess club' } });
        expect(created.status).toBe(201);
        await eventually(async () => expect((await http('GET', `${groups.url}/health`)).body.status).toBe('up'));
      } finally {
        await groups.close();
      }
    } finally {
      await auth.close();
    }
  });
});
