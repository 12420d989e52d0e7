import { Kafka, Message, Partitioners } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { createEvent, toKafkaHeaders } from '@playball/events';

/** Versions per user: registered, then updates; every 10th user is deleted at the last version. */
export const versionsPerUser = 5;

/** What the view must hold once every event of the workload is applied. */
export interface ExpectedView {
  users: number;
  deleted: number;
  versionSum: number;
}

/**
 * `count` user events, as auth publishes them: for each user a registration, updates, and for one
 * user in ten a deletion. Users take turns (all first versions, then all second ones...), as in a
 * live system where many users change a little, so a fetched batch holds mostly distinct users.
 */
export function userEvents(count: number): { messages: Message[]; expected: ExpectedView } {
  const users = Array.from({ length: Math.ceil(count / versionsPerUser) }, () => uuidv7());
  const messages: Message[] = [];
  for (let version = 1; version <= versionsPerUser; version++) {
    for (const [i, userId] of users.entries()) {
      if (messages.length === count) break;
      const event =
        version === 1
          ? createEvent('playball.user.registered.v1', {
              userId,
              displayName: `Player ${i}`,
              version,
              credentialsVersion: 1,
            })
          : version === versionsPerUser && i % 10 === 0
            ? createEvent('playball.user.deleted.v1', { userId, version })
            : createEvent('playball.user.updated.v1', {
                userId,
                displayName: `Player ${i} v${version}`,
                version,
                credentialsVersion: 1,
              });
      messages.push({ key: event.subject, value: JSON.stringify(event.data), headers: toKafkaHeaders(event) });
    }
  }
  const perUser = users.map((_, i) => Math.min(versionsPerUser, Math.ceil((count - i) / users.length)));
  return {
    messages,
    expected: {
      users: users.length,
      deleted: perUser.filter((v, i) => v === versionsPerUser && i % 10 === 0).length,
      versionSum: perUser.reduce((sum, v) => sum + v, 0),
    },
  };
}

/** Puts the workload on the topic before any consumer starts (not timed): a backlog to drain. */
export async function produce(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 1_000) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1_000) });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Resolves once `groupId` has committed every partition of `topic` to its end. Rejects when no
 * offset moved for `stallMs`: a consumer failing every batch (kafkajs restarts it forever) must
 * fail the bench, not hang it.
 */
export async function committedToEnd(kafka: Kafka, topic: string, groupId: string, stallMs = 60_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    let progress = '';
    let movedAt = Date.now();
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const offsets = committed.partitions.map((p) => p.offset).join(',');
      if (offsets !== progress) [progress, movedAt] = [offsets, Date.now()];
      if (Date.now() - movedAt > stallMs) {
        throw new Error(`${groupId} committed nothing on ${topic} for ${stallMs / 1_000} s (offsets ${offsets})`);
      }
      const done = ends.every(
        (end) =>
          end.high === '0' || committed.partitions.find((p) => p.partition === end.partition)?.offset === end.high,
      );
      if (done) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.disconnect();
  }
}
