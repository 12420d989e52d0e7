import { Command, SubCommand } from 'nest-commander';
import { Topics, topicName } from '@playball/events';
import { appConfig } from '../cli/app-config';
import { kafkaClient, withAdmin, withDatabase } from '../cli/connections';
import { OpsError } from '../cli/exit-codes';
import { CommandGroup, JsonOption, OpsCommand, Outcome } from '../cli/ops-command';
import { highWatermarks, TopicScan } from '../cli/topic-scan';
import { Progress } from './progress';
import { ShadowView } from './shadow-view';
import { switchOver } from './switch-over';

/** A whole compacted topic: an hour covers millions of users at the consumer's measured ~28,000 events/s. */
const SCAN_TIMEOUT_MS = 60 * 60 * 1000;
/** The locked catch-up reads only what arrived in the last moments; the live consumer waits meanwhile. */
const LOCKED_CATCH_UP_TIMEOUT_MS = 20_000;

@SubCommand({
  name: 'rebuild',
  description:
    "rebuilds group-management's user view from the compacted auth.user.v1 under a fresh consumer group, into a shadow " +
    'table while the live consumer keeps running, then switches over in one transaction: newer states applied, users the ' +
    'topic no longer has removed (their group memberships too). Progress on stderr.',
})
export class UsersRebuildCommand extends OpsCommand<JsonOption> {
  protected async execute(_: string[], options: JsonOption): Promise<Outcome> {
    const config = appConfig('group-management');
    const kafka = kafkaClient(config);
    const topic = topicName(Topics.user.name, config.KAFKA_TOPIC_PREFIX);
    const progress = new Progress(options.json === true);
    const started = Date.now();
    return withDatabase('group-management', config, async (db) => {
      const session = db.createQueryRunner();
      try {
        const [{ locked }] = (await session.query(
          `select pg_try_advisory_lock(hashtext('ops:users-rebuild')) as locked`,
        )) as [{ locked: boolean }];
        if (!locked) throw new OpsError('refused', 'another users rebuild is running on this database');
        const shadow = new ShadowView(session);
        await shadow.create();
        // The scan's batches and the switch-over share the one session that holds the temporary table.
        let queue: Promise<unknown> = Promise.resolve();
        const serial = <T>(work: () => Promise<T>): Promise<T> => {
          const run = queue.then(work);
          queue = run.catch(() => undefined);
          return run;
        };
        return await withAdmin(kafka, async (admin) => {
          const scan = new TopicScan(
            kafka,
            `${config.KAFKA_CONSUMER_GROUP}-rebuild-${Date.now()}`,
            [topic],
            (t, _p, messages) => serial(() => shadow.apply(t, messages)),
          );
          try {
            const start = await highWatermarks(admin, [topic]);
            await scan.start();
            await scan.readTo(start, SCAN_TIMEOUT_MS, (p) => progress.report('rebuild', p));
            progress.report('rebuild', scan.progress(start), true);
            // What arrived during the scan, unlocked, so that the locked read below is short.
            const arrived = await highWatermarks(admin, [topic]);
            await scan.readTo(arrived, SCAN_TIMEOUT_MS, (p) => progress.report('catch-up', p));
            await session.startTransaction();
            try {
              // Blocks the live consumer's writes (not reads) until commit; from here the view can
              // only hold records below these high watermarks, which the shadow then has too.
              await session.query('lock table users in share row exclusive mode');
              const last = await highWatermarks(admin, [topic]);
              await scan.readTo(last, LOCKED_CATCH_UP_TIMEOUT_MS);
              const switched = await serial(() => switchOver(session.manager));
              await session.commitTransaction();
              const records = scan.progress(last).read;
              const counts = await serial(() => shadow.counts());
              const result = {
                topic,
                consumerGroup: scan.groupId,
                records,
                skipped: shadow.skipped,
                rebuilt: counts,
                switched,
                durationMs: Date.now() - started,
              };
              return {
                status: 'ok' as const,
                result,
                text:
                  `rebuilt ${counts.live} live and ${counts.deleted} deleted users from ${records} records of ${topic}` +
                  ` (${shadow.skipped} invalid skipped) in ${(result.durationMs / 1000).toFixed(1)} s\n` +
                  `switched over: ${switched.inserted} added, ${switched.updated} updated, ${switched.deleted} removed, ` +
                  `${switched.membersRemoved} deleted users taken out of their groups`,
              };
            } catch (error) {
              await session.rollbackTransaction().catch(() => undefined);
              throw error;
            }
          } finally {
            await scan.stop(admin);
          }
        });
      } finally {
        progress.end();
        await session.release();
      }
    });
  }
}

@Command({ name: 'users', description: "group-management's view of auth's users", subCommands: [UsersRebuildCommand] })
export class UsersCommand extends CommandGroup {}
