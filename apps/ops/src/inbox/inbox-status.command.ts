import { Command, Option, SubCommand } from 'nest-commander';
import { Topics, topicName } from '@playball/events';
import { appConfig } from '../cli/app-config';
import { kafkaClient, withAdmin, withDatabase } from '../cli/connections';
import { CommandGroup, JsonOption, OpsCommand, Outcome, wholeNumber } from '../cli/ops-command';
import { groupLag } from './consumer-lag';

interface Options extends JsonOption {
  maxLag?: number;
}

/** Over this many events behind in total, the status is unhealthy; a live consumer is ~0 behind. */
const DEFAULT_MAX_LAG = 1_000;

@SubCommand({
  name: 'status',
  description:
    "group-management's consumer group: lag per partition (committed offset vs high watermark), its state and members, " +
    'and the time of the last event its inbox applied. Exits 5 when the group has no member or lags more than --max-lag.',
})
export class InboxStatusCommand extends OpsCommand<Options> {
  @Option({ flags: '--max-lag <events>', description: `total lag still healthy (default ${DEFAULT_MAX_LAG})` })
  parseMaxLag(value: string): number {
    return wholeNumber('--max-lag')(value);
  }

  protected async execute(_: string[], options: Options): Promise<Outcome> {
    const config = appConfig('group-management');
    const group = config.KAFKA_CONSUMER_GROUP;
    // The topics group-management consumes (UserEventsConsumer).
    const topics = [topicName(Topics.user.name, config.KAFKA_TOPIC_PREFIX)];
    const lag = await withAdmin(kafkaClient(config), (admin) => groupLag(admin, group, topics));
    const applied = await withDatabase('group-management', config, async (db) => {
      const [row] = (await db.query(
        `select max(processed_at) as "lastAppliedAt", count(*) filter (where processed_at > now() - interval '1 minute')::int as "lastMinute"
           from inbox where consumer = $1`,
        [group],
      )) as [{ lastAppliedAt: Date | null; lastMinute: number }];
      return {
        lastAppliedAt: row.lastAppliedAt && new Date(row.lastAppliedAt).toISOString(),
        appliedLastMinute: row.lastMinute,
      };
    });
    const maxLag = options.maxLag ?? DEFAULT_MAX_LAG;
    const problems = [
      ...(lag.members === 0 ? [`group ${group} has no member (state ${lag.state}): nothing consumes`] : []),
      ...(lag.totalLag > maxLag ? [`${lag.totalLag} events behind, more than ${maxLag}`] : []),
    ];
    const lines = [
      `consumer group ${group}: ${lag.state}, ${lag.members} members, ${lag.totalLag} events behind`,
      ...lag.partitions.map(
        (p) => `  ${p.topic}[${p.partition}] committed ${p.committed ?? '-'} of ${p.highWatermark}: lag ${p.lag}`,
      ),
      `last applied: ${applied.lastAppliedAt ?? 'never (or pruned)'}, ${applied.appliedLastMinute} in the last minute`,
      ...(problems.length > 0 ? [`UNHEALTHY: ${problems.join('; ')}`] : []),
    ];
    return {
      status: problems.length === 0 ? 'ok' : 'unhealthy',
      result: { ...lag, ...applied, maxLag, problems },
      text: lines.join('\n'),
    };
  }
}

@Command({
  name: 'inbox',
  description: "group-management's inbox and its consumer group",
  subCommands: [InboxStatusCommand],
})
export class InboxCommand extends CommandGroup {}
