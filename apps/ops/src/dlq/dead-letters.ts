import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { deadLetterTopicName, topicName } from '@playball/events';
import { ParsedDeadLetter, parseDeadLetter, ReplayRecord, replaysOf } from '@playball/inbox';
import { GroupManagementConfig } from '../../../group-management/src/config';
import { withDatabase } from '../cli/connections';
import { OpsError } from '../cli/exit-codes';
import { highWatermarks, TopicScan } from '../cli/topic-scan';

export interface Letter {
  /** `<partition>:<offset>` in its dead-letter topic: what `dlq show` and `dlq replay` take. */
  ref: string;
  dlqTopic: string;
  partition: number;
  offset: string;
  deadLetteredAt: string;
  eventId: string | null;
  eventType: string | null;
  letter: ParsedDeadLetter;
  replay: ReplayRecord | null;
}

export interface LetterQuery {
  /** The source topic's logical name (e.g. auth.user.v1); every dead-letter topic of the group when unset. */
  topic?: string;
}

/** 60 s to read dead-letter topics that hold 14 days of letters at most: far more than they should ever hold. */
const SCAN_TIMEOUT_MS = 60_000;

/** The group's dead-letter topics on the wire: `<prefix><topic>.<group>.dlq`. */
export async function deadLetterTopics(admin: Admin, config: GroupManagementConfig, query: LetterQuery) {
  const group = config.KAFKA_CONSUMER_GROUP;
  const prefix = config.KAFKA_TOPIC_PREFIX;
  const all = (await admin.listTopics()).filter((t) => t.startsWith(prefix) && t.endsWith(`.${group}.dlq`)).sort();
  if (query.topic === undefined) return all;
  const wanted = topicName(deadLetterTopicName(query.topic, group), prefix);
  if (!all.includes(wanted)) throw new OpsError('notFound', `no dead-letter topic ${wanted} (group ${group})`);
  return [wanted];
}

/** The source topic a dead-letter topic of this group collects from, on the wire. */
export function sourceTopicOf(dlqTopic: string, config: GroupManagementConfig): string {
  return dlqTopic.slice(0, -`.${config.KAFKA_CONSUMER_GROUP}.dlq`.length);
}

/** Every letter now on the group's dead-letter topics (read to the high watermarks of the moment), with its replays. */
export async function readLetters(
  kafka: Kafka,
  admin: Admin,
  config: GroupManagementConfig,
  query: LetterQuery,
): Promise<{ topics: string[]; letters: Letter[] }> {
  const topics = await deadLetterTopics(admin, config, query);
  const raw: { topic: string; partition: number; message: KafkaMessage }[] = [];
  const targets = await highWatermarks(admin, topics);
  if ([...targets.values()].some((t) => t.high > t.low)) {
    const scan = new TopicScan(
      kafka,
      `${config.KAFKA_CONSUMER_GROUP}-ops-dlq-${Date.now()}`,
      topics,
      async (topic, partition, messages) => {
        for (const message of messages) raw.push({ topic, partition, message });
      },
    );
    try {
      await scan.start();
      await scan.readTo(targets, SCAN_TIMEOUT_MS);
    } finally {
      await scan.stop(admin);
    }
  }
  const letters = raw.flatMap(({ topic, partition, message }) => {
    const letter = parseDeadLetter(message);
    if (!letter) return [];
    const header = (name: string) => letter.record.headers[name]?.toString() ?? null;
    return [
      {
        ref: `${partition}:${message.offset}`,
        dlqTopic: topic,
        partition,
        offset: message.offset,
        deadLetteredAt: new Date(Number(message.timestamp)).toISOString(),
        eventId: header('ce_id'),
        eventType: header('ce_type'),
        letter,
        replay: null as ReplayRecord | null,
      },
    ];
  });
  letters.sort(
    (a, b) => a.dlqTopic.localeCompare(b.dlqTopic) || a.partition - b.partition || Number(a.offset) - Number(b.offset),
  );
  const replays = await withDatabase('group-management', config, (db) =>
    replaysOf(
      db.manager,
      letters.map((l) => ({ topic: l.dlqTopic, partition: l.partition, offset: l.offset })),
    ),
  );
  for (const l of letters) l.replay = replays.get(`${l.dlqTopic}/${l.partition}:${l.offset}`) ?? null;
  return { topics, letters };
}

/** The letters `refs` names (`<partition>:<offset>`), in one dead-letter topic; not found when any is missing. */
export function pick(letters: Letter[], topics: string[], ref: string): Letter {
  if (!/^\d+:\d+$/.test(ref))
    throw new OpsError('usage', `a dead letter is named <partition>:<offset>, as dlq list prints it; not ${ref}`);
  const found = letters.filter((l) => l.ref === ref);
  if (found.length === 0)
    throw new OpsError('notFound', `no dead letter ${ref} in ${topics.join(', ') || 'any dead-letter topic'}`);
  if (found.length > 1) {
    throw new OpsError(
      'usage',
      `${ref} is in several dead-letter topics (${found.map((l) => l.dlqTopic).join(', ')}): pass --topic`,
    );
  }
  return found[0];
}

/** One line per letter, for a person. */
export function summary(l: Letter): string {
  const replay = l.replay ? `, replayed ${l.replay.replays}× (last ${l.replay.lastReplayedAt})` : '';
  return (
    `${l.ref} ${l.dlqTopic} ${l.letter.code}: ${l.eventType ?? '?'} ${l.eventId ?? '?'} from ` +
    `${l.letter.origin.topic}[${l.letter.origin.partition}]@${l.letter.origin.offset}, ${l.deadLetteredAt}${replay}\n    ${l.letter.reason}` +
    (l.letter.omitted ? `\n    omitted to fit: ${l.letter.omitted}` : '')
  );
}

/** A letter as --json prints it: its record's bytes as text (values are JSON events, keys ids). */
export function asJson(l: Letter, withRecord: boolean) {
  const { record, ...letter } = l.letter;
  return {
    ref: l.ref,
    dlqTopic: l.dlqTopic,
    partition: l.partition,
    offset: l.offset,
    deadLetteredAt: l.deadLetteredAt,
    eventId: l.eventId,
    eventType: l.eventType,
    ...letter,
    replay: l.replay,
    ...(withRecord
      ? {
          record: {
            key: record.key?.toString() ?? null,
            value: record.value ? parseValue(record.value) : null,
            headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v.toString()])),
          },
        }
      : {}),
  };
}

function parseValue(value: Buffer): unknown {
  try {
    return JSON.parse(value.toString()) as unknown;
  } catch {
    return value.toString();
  }
}
