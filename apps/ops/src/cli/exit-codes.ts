/**
 * What `npm run ops` exits with; scripts rely on these numbers (docs/operations.md lists them), so
 * a number keeps its meaning once released.
 */
export const ExitCode = {
  ok: 0,
  /** A bug or anything not classified below; the message says what. */
  failed: 1,
  /** Bad arguments, options or configuration (an environment variable the apps would refuse too). */
  usage: 2,
  /** The thing named does not exist: a dead letter, a dead-letter topic. */
  notFound: 3,
  /** PostgreSQL or Kafka did not answer. */
  unreachable: 4,
  /** The command ran and found something wrong: failing outbox rows, lag, dead letters waiting. */
  unhealthy: 5,
  /** Refused to act: a letter already replayed (without --force), another rebuild running. */
  refused: 6,
} as const;

export type ExitCodeName = keyof typeof ExitCode;

/** An expected failure of a command: printed as its message, no stack, and exits with its code. */
export class OpsError extends Error {
  override readonly name = 'OpsError';

  constructor(
    readonly exit: Exclude<ExitCodeName, 'ok' | 'unhealthy'>,
    message: string,
  ) {
    super(message);
  }
}
