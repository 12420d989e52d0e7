import { CommandRunner, Option } from 'nest-commander';
import { isUnreachable } from './connections';
import { ExitCode, ExitCodeName, OpsError } from './exit-codes';

export interface JsonOption {
  json?: boolean;
}

/** What a command found: a result for --json, its text for a person, and how it exits. */
export interface Outcome {
  status: Exclude<ExitCodeName, 'failed' | 'usage' | 'notFound' | 'unreachable'>;
  result: object;
  text: string;
}

/**
 * Every ops command: `--json` (one JSON document on stdout, `status` first, also for failures),
 * text for a person otherwise, and the exit code of exit-codes.ts, failures included.
 */
export abstract class OpsCommand<O extends JsonOption = JsonOption> extends CommandRunner {
  @Option({ flags: '--json', description: 'print the result as one JSON document on stdout' })
  parseJson(): boolean {
    return true;
  }

  protected abstract execute(params: string[], options: O): Promise<Outcome>;

  async run(params: string[], options?: O): Promise<void> {
    const json = options?.json === true;
    try {
      const { status, result, text } = await this.execute(params, options ?? ({} as O));
      process.stdout.write(json ? `${JSON.stringify({ status, ...result }, null, 2)}\n` : `${text}\n`);
      process.exitCode = ExitCode[status];
    } catch (error) {
      const status = exitFor(error);
      const message =
        (error instanceof Error ? error.message : String(error)) +
        (isUndefinedTable(error) ? ' (has the app run its migrations on this database?)' : '');
      if (json) process.stdout.write(`${JSON.stringify({ status, error: message }, null, 2)}\n`);
      else process.stderr.write(`${status === 'failed' && error instanceof Error ? error.stack : message}\n`);
      process.exitCode = ExitCode[status];
    }
  }
}

/** A command that only groups subcommands: run bare, it shows its help and exits as a usage error. */
export abstract class CommandGroup extends CommandRunner {
  async run(): Promise<void> {
    this.command.outputHelp({ error: true });
    process.exitCode = ExitCode.usage;
  }
}

export function wholeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new OpsError('usage', `${name} must be a whole number, not ${value}`);
    return n;
  };
}

function exitFor(error: unknown): ExitCodeName {
  if (error instanceof OpsError) return error.exit;
  if (isUnreachable(error)) return 'unreachable';
  return isUndefinedTable(error) ? 'notFound' : 'failed';
}

/** SQLSTATE 42P01: DATABASE_URL names a database without the app's tables. */
function isUndefinedTable(error: unknown): boolean {
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  return code === '42P01' || driverError?.code === '42P01';
}
