import { Command, Option, SubCommand } from 'nest-commander';
import { backlog, relayStatus } from '@playball/outbox';
import { poolOf } from '@playball/platform/database';
import { AppName, appNames, appConfig, selectedApps } from '../cli/app-config';
import { withDatabase } from '../cli/connections';
import { OpsError } from '../cli/exit-codes';
import { CommandGroup, JsonOption, OpsCommand, Outcome } from '../cli/ops-command';

interface Options extends JsonOption {
  app?: AppName;
}

@SubCommand({
  name: 'status',
  description:
    'pending rows, oldest pending age, failing rows with their last error, and which instance leads the relay. ' +
    'Exits 5 when a row is failing, or rows are pending with no leader.',
})
export class OutboxStatusCommand extends OpsCommand<Options> {
  @Option({ flags: '--app <app>', description: 'auth or group-management (both by default)' })
  parseApp(value: string): AppName {
    if (!(appNames as readonly string[]).includes(value)) {
      throw new OpsError('usage', `--app must be one of ${appNames.join(', ')}, not ${value}`);
    }
    return value as AppName;
  }

  protected async execute(_: string[], options: Options): Promise<Outcome> {
    const apps = selectedApps(options.app);
    const reports = [];
    for (const app of apps) {
      const config = appConfig(app);
      reports.push(
        await withDatabase(app, config, async (db) => {
          const [pending, relay] = await Promise.all([backlog(poolOf(db)), relayStatus(poolOf(db), app)]);
          const problems = [
            ...(relay.failingTotal > 0 ? [`${relay.failingTotal} rows failing`] : []),
            ...(pending.unpublished > 0 && !relay.leader ? ['rows pending and no relay leads'] : []),
          ];
          return {
            app,
            pending: pending.unpublished,
            oldestPendingAgeSeconds: pending.oldestAgeSeconds,
            ...relay,
            problems,
          };
        }),
      );
    }
    const healthy = reports.every((r) => r.problems.length === 0);
    return {
      status: healthy ? 'ok' : 'unhealthy',
      result: { apps: reports },
      text: reports.map(describe).join('\n\n'),
    };
  }
}

function describe(
  report: Awaited<ReturnType<typeof relayStatus>> & {
    app: string;
    pending: number;
    oldestPendingAgeSeconds: number | null;
    problems: string[];
  },
): string {
  const lines = [
    `${report.app} outbox: ${report.pending} pending` +
      (report.oldestPendingAgeSeconds === null ? '' : `, oldest ${report.oldestPendingAgeSeconds.toFixed(1)} s`),
    report.leader
      ? `  relay leader: ${report.leader.client} (backend pid ${report.leader.pid}, since ${report.leader.connectedAt}), ${report.standbys.length} standing by`
      : `  relay leader: none (${report.standbys.length} standing by)`,
  ];
  if (report.failingTotal > 0) lines.push(`  failing rows: ${report.failingTotal}`);
  for (const row of report.failing) {
    lines.push(
      `    #${row.id} ${row.type} ${row.eventId} on ${row.topic}: ${row.attempts} attempts, last error: ${row.lastError}`,
    );
  }
  if (report.problems.length > 0) lines.push(`  UNHEALTHY: ${report.problems.join('; ')}`);
  return lines.join('\n');
}

@Command({
  name: 'outbox',
  description: 'the transactional outbox of each app',
  subCommands: [OutboxStatusCommand],
})
export class OutboxCommand extends CommandGroup {}
