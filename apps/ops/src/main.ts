import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import type { Command } from 'commander';
import { CommandRunnerService } from 'nest-commander';
import { ExitCode, OpsError } from './cli/exit-codes';
import { OpsModule } from './ops.module';

/**
 * `npm run ops -- <command>`. Commander exits by itself (code 1) on a usage error in a subcommand,
 * which scripts could not tell from a failure: every command gets an override that throws instead,
 * and the exit code is set here from exit-codes.ts.
 */
async function main(): Promise<void> {
  const app = await CommandFactory.createWithoutRunning(OpsModule, {
    logger: false,
    cliName: 'ops',
    serviceErrorHandler: (error) => {
      if (error instanceof OpsError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = ExitCode[error.exit];
      } else if (isCommanderExit(error)) {
        process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      } else {
        process.stderr.write(`${error.stack ?? error.message}\n`);
        process.exitCode = ExitCode.failed;
      }
    },
  });
  const runner = app.get(CommandRunnerService);
  const root = (runner as unknown as { commander: Command }).commander;
  root.name('npm run ops --');
  throwInsteadOfExiting(root);
  await runner.run();
  await app.close();
}

function throwInsteadOfExiting(command: Command): void {
  command.exitOverride();
  command.commands.forEach(throwInsteadOfExiting);
}

function isCommanderExit(error: Error): error is Error & { exitCode: number } {
  return (
    typeof (error as { exitCode?: unknown }).exitCode === 'number' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = ExitCode.failed;
  })
  // Kafka and pool timers may linger after a command; the command is over, so is the process.
  .finally(() => process.exit());
