import { Command, Option, SubCommand } from 'nest-commander';
import { recordReplay } from '@playball/inbox';
import { appConfig } from '../cli/app-config';
import { kafkaClient, withAdmin, withDatabase } from '../cli/connections';
import { OpsError } from '../cli/exit-codes';
import { CommandGroup, JsonOption, OpsCommand, Outcome } from '../cli/ops-command';
import { asJson, Letter, pick, readLetters, sourceTopicOf, summary } from './dead-letters';

interface TopicOption extends JsonOption {
  topic?: string;
}

/** --topic, shared by the dlq commands. */
abstract class DlqCommand<O extends TopicOption> extends OpsCommand<O> {
  @Option({
    flags: '--topic <topic>',
    description: 'the source topic, e.g. auth.user.v1 (all dead-letter topics of the group by default)',
  })
  parseTopic(value: string): string {
    return value;
  }

  protected read(options: O) {
    const config = appConfig('group-management');
    const kafka = kafkaClient(config);
    return { config, kafka, letters: withAdmin(kafka, (admin) => readLetters(kafka, admin, config, options)) };
  }
}

interface ListOptions extends TopicOption {
  reason?: string;
}

@SubCommand({
  name: 'list',
  description:
    "the dead letters of group-management's consumer group, with their reason and replays. Exits 5 when a letter was never replayed.",
})
export class DlqListCommand extends DlqCommand<ListOptions> {
  @Option({ flags: '--reason <code>', description: 'only letters with this reason code, e.g. HANDLER.FAILED' })
  parseReason(value: string): string {
    return value;
  }

  protected async execute(_: string[], options: ListOptions): Promise<Outcome> {
    const { topics, letters: all } = await this.read(options).letters;
    const letters = all.filter((l) => options.reason === undefined || l.letter.code === options.reason);
    const waiting = letters.filter((l) => !l.replay).length;
    return {
      status: waiting > 0 ? 'unhealthy' : 'ok',
      result: { topics, count: letters.length, waiting, letters: letters.map((l) => asJson(l, false)) },
      text: [
        `${letters.length} dead letters (${waiting} never replayed) in ${topics.join(', ') || 'no dead-letter topic'}`,
        ...letters.map(summary),
      ].join('\n'),
    };
  }
}

@SubCommand({
  name: 'show',
  arguments: '<offset>',
  argsDescription: { offset: '<partition>:<offset> of the letter, as dlq list prints it' },
  description: 'one dead letter whole: reason, origin, replays, and the original record (key, value, headers)',
})
export class DlqShowCommand extends DlqCommand<TopicOption> {
  protected async execute([ref]: string[], options: TopicOption): Promise<Outcome> {
    const { topics, letters } = await this.read(options).letters;
    const letter = pick(letters, topics, ref);
    const shown = asJson(letter, true);
    return {
      status: 'ok',
      result: { letter: shown },
      text: `${summary(letter)}\n${JSON.stringify(shown.record, null, 2)}`,
    };
  }
}

interface ReplayOptions extends TopicOption {
  all?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

@SubCommand({
  name: 'replay',
  arguments: '[offset]',
  argsDescription: { offset: '<partition>:<offset> of the letter, as dlq list prints it' },
  description:
    'republishes dead letters to their source topic as they were (same key, value, headers, so the same event id: the inbox ' +
    'still dedupes), and records each replay in group-management’s database. A letter replayed before is refused (exit 6) ' +
    'unless --force; --all replays the letters never replayed.',
})
export class DlqReplayCommand extends DlqCommand<ReplayOptions> {
  @Option({ flags: '--all', description: 'every letter never replayed (with --force: every letter)' })
  parseAll(): boolean {
    return true;
  }

  @Option({ flags: '--dry-run', description: 'say what would be replayed, publish and record nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--force', description: 'replay letters that were replayed before' })
  parseForce(): boolean {
    return true;
  }

  protected async execute([ref]: string[], options: ReplayOptions): Promise<Outcome> {
    if ((ref === undefined) === (options.all !== true))
      throw new OpsError('usage', 'name one letter (<partition>:<offset>) or pass --all');
    const { config, kafka, letters: reading } = this.read(options);
    const { topics, letters } = await reading;
    const chosen = options.all ? letters.filter((l) => options.force || !l.replay) : [pick(letters, topics, ref)];
    const outcomes: { ref: string; dlqTopic: string; eventId: string | null; outcome: string }[] = [];
    const say = (l: Letter, outcome: string) =>
      outcomes.push({ ref: l.ref, dlqTopic: l.dlqTopic, eventId: l.eventId, outcome });
    const replayable = chosen.filter((l) => {
      if (l.letter.omitted) say(l, `refused: the letter omits its ${l.letter.omitted}`);
      else if (l.letter.origin.topic !== sourceTopicOf(l.dlqTopic, config))
        say(l, `refused: it names ${l.letter.origin.topic} as its origin`);
      else if (l.replay && !options.force)
        say(
          l,
          `refused: replayed ${l.replay.replays}× already (last ${l.replay.lastReplayedAt}); --force to replay again`,
        );
      else return true;
      return false;
    });
    if (options.dryRun) replayable.forEach((l) => say(l, `would replay to ${l.letter.origin.topic}`));
    else if (replayable.length > 0) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      try {
        await producer.connect();
      } catch (error) {
        throw new OpsError('unreachable', `the Kafka broker did not answer: ${(error as Error).message}`);
      }
      try {
        await withDatabase('group-management', config, async (db) => {
          for (const l of replayable) {
            // Recorded and published in one transaction: a failed publish leaves no record; the row
            // lock serializes two operators replaying the same letter, and the second is refused.
            const replays = await db
              .transaction(async (manager) => {
                const count = await recordReplay(manager, {
                  topic: l.dlqTopic,
                  partition: l.partition,
                  offset: l.offset,
                  eventId: l.eventId,
                  sourceTopic: l.letter.origin.topic,
                });
                // Rolls the count back: another operator replayed it since it was read.
                if (count > 1 && !options.force) throw new ReplayedMeanwhile();
                const { key, value, headers } = l.letter.record;
                await producer.send({ topic: l.letter.origin.topic, acks: -1, messages: [{ key, value, headers }] });
                return count;
              })
              .catch((error: unknown) => {
                if (error instanceof ReplayedMeanwhile) return null;
                throw error;
              });
            say(
              l,
              replays === null
                ? 'refused: replayed meanwhile by someone else'
                : `replayed to ${l.letter.origin.topic} (replay ${replays})`,
            );
          }
        });
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
    }
    const refused = outcomes.some((o) => o.outcome.startsWith('refused'));
    return {
      status: refused ? 'refused' : 'ok',
      result: { dryRun: options.dryRun === true, letters: outcomes },
      text:
        outcomes.length === 0
          ? 'nothing to replay'
          : outcomes.map((o) => `${o.ref} ${o.dlqTopic} ${o.eventId ?? '?'}: ${o.outcome}`).join('\n'),
    };
  }
}

@Command({
  name: 'dlq',
  description: "group-management's dead letters (<topic>.<group>.dlq): list, show, replay",
  subCommands: [DlqListCommand, DlqShowCommand, DlqReplayCommand],
})
export class DlqCommandGroup extends CommandGroup {}

class ReplayedMeanwhile extends Error {}
