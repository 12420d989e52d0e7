import { Client, ClientConfig } from 'pg';

const MAX_NAMED_TEXT = 2_000;

/**
 * Names the statements a connection runs again and again, so PostgreSQL parses and plans each once
 * per connection instead of once per run. TypeORM sends every query unnamed: PostgreSQL then plans
 * it anew each time, and for our short statements planning was 40–70 % of their time in the server
 * (`pg_stat_statements` with `track_planning`). Named, auth spent 4.3–4.5 ms of CPU per
 * `PATCH /users/me` where it spent 4.6–5.6 ms unnamed, in alternating runs of the same hour; the
 * bench's raw baseline gains nearly as much when it names its statements (docs/performance.md, 27 Nov,
 * 17:30 UTC).
 *
 * Bounded per connection, because some statements come in as many texts as they have argument
 * counts (`IN ($1, $2, …)`, multi-row inserts): a text is named the second time the connection runs
 * it, and at most `max` texts are named; past that the rest run unnamed, as before. Statements
 * without parameters (`BEGIN`, `COMMIT`) are not planned, and texts longer than 2,000 characters
 * are the multi-row ones, whose planning their rows share: both stay unnamed.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  /**
   * Texts run once, unnamed: named if they come again. Four times `max`, so that a few texts run
   * once each between two runs of a hot one do not push it out; cleared when full.
   */
  private readonly seenOnce = new Set<string>();
  private named = 0;

  constructor(private readonly max: number) {}

  /** The name to run this text under, or undefined to run it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.names.size >= this.max || text.length > MAX_NAMED_TEXT) return name;
    if (!this.seenOnce.delete(text)) {
      if (this.seenOnce.size >= 4 * this.max) this.seenOnce.clear();
      this.seenOnce.add(text);
      return undefined;
    }
    // Never reused: node-postgres remembers every name it has parsed on the connection and refuses
    // the same name for another text.
    const fresh = `playball_${++this.named}`;
    this.names.set(text, fresh);
    return fresh;
  }

  /** Forgets a text whose prepared statement the server no longer runs (see `lostStatements`). */
  forget(text: string): void {
    this.names.delete(text);
  }

  /** Forgets every name: the server dropped the connection's prepared statements (`DEALLOCATE ALL`). */
  forgetAll(): void {
    this.names.clear();
  }

  get size(): number {
    return this.names.size;
  }
}

/**
 * A node-postgres client class that runs parameterized statements named (`StatementNames`) and
 * always has an 'error' listener (`ListenedClient`). `max` 0 is the plain listened client: behind
 * PgBouncer in transaction mode before 1.21, a named statement may reach another server connection
 * than the one that prepared it.
 */
export function pgClientClass(max: number): typeof Client {
  return max > 0 ? preparingClient(max) : ListenedClient;
}

/**
 * A node-postgres client that always has an 'error' listener. pg-pool hands a new client over with
 * none of its own, and TypeORM attaches its listener a microtask later; a session terminated as it
 * opened delivers its FATAL error in the same socket read, in between, and an 'error' event without
 * a listener kills the process (seen in test/integration/connection-loss at pg_terminate_backend).
 * Nothing is hidden: the client is marked broken, so its next query fails with an error that
 * `isTransient` recognizes, and the pool discards it when it is released.
 */
class ListenedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

function preparingClient(max: number): typeof Client {
  return class PreparingClient extends ListenedClient {
    readonly statementNames = new StatementNames(max);

    // TypeORM calls query(text, parameters) and awaits the promise; every other form (a config
    // object, a callback, a cursor or stream) goes to node-postgres as it came.
    override query(config: unknown, values?: unknown, callback?: unknown): never {
      if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) {
        return (super.query as (...args: unknown[]) => never)(config, values, callback);
      }
      const name = this.statementNames.nameFor(config);
      if (name === undefined) return super.query(config, values) as never;
      return super.query({ name, text: config }, values).catch((error: unknown) => {
        const lost = lostStatements(error);
        if (lost === 'this one') this.statementNames.forget(config);
        if (lost === 'all') this.statementNames.forgetAll();
        throw error;
      }) as never;
    }
  };
}

/**
 * Errors after which a prepared statement no longer runs. 0A000 `cached plan must not change result
 * type`: a migration changed the type of a column it returns, and PostgreSQL refuses the statement
 * until it is prepared again (the error is transient, `isTransient`: run again, it is unnamed first,
 * then prepared anew). 26000 `prepared statement does not exist`: the session's statements were
 * deallocated (`DISCARD ALL`, a pooler's reset).
 */
function lostStatements(error: unknown): 'this one' | 'all' | undefined {
  if (isCachedPlanChanged(error)) return 'this one';
  return (error as { code?: unknown }).code === '26000' ? 'all' : undefined;
}

/** PostgreSQL refuses a prepared statement whose result columns changed type since it was prepared. */
export function isCachedPlanChanged(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === '0A000' && typeof message === 'string' && message.startsWith('cached plan must not change result type')
  );
}
