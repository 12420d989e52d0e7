import { createHash } from 'node:crypto';
import { Client, ClientConfig } from 'pg';

const MAX_NAMED_TEXT = 2_000;

/**
 * Names the statements a connection runs again and again, so PostgreSQL parses each once per
 * connection and, once a generic plan proves no costlier than planning each run (after five runs,
 * with the default `plan_cache_mode`), stops planning it. TypeORM sends every query unnamed:
 * PostgreSQL then parses and plans it anew each time, and for our short statements planning was
 * 40–70 % of their time in the server (`pg_stat_statements` with `track_planning`). Named, auth
 * spent 4.3–4.5 ms of CPU per `PATCH /users/me` where it spent 4.6–5.6 ms unnamed, in alternating
 * runs of the same hour (docs/performance.md, 27 Nov, 17:30 UTC).
 *
 * Bounded per connection, because some statements come in as many texts as they have argument
 * counts (`IN ($1, $2, …)`, multi-row inserts): a text is named the second time the connection runs
 * it, and at most `max` names are given, those the server may still hold included; past that the
 * rest run unnamed, as before. Statements without parameters (`BEGIN`, `COMMIT`) are not planned,
 * and texts longer than 2,000 characters are mostly the multi-row ones, whose planning their rows
 * share: both stay unnamed.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  /**
   * Texts run once, unnamed: named if they come again. Four times `max`, so that a few texts run
   * once each between two runs of a hot one do not push it out; cleared when full.
   */
  private readonly seenOnce = new Set<string>();
  private named = 0;
  /** Names forgotten here that the server may still hold (`forget`): they count against `max`. */
  private retired = 0;

  constructor(private readonly max: number) {}

  /** The name to run this text under, or undefined to run it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.names.size + this.retired >= this.max || text.length > MAX_NAMED_TEXT) return name;
    if (!this.seenOnce.delete(text)) {
      if (this.seenOnce.size >= 4 * this.max) this.seenOnce.clear();
      this.seenOnce.add(text);
      return undefined;
    }
    // A name means one text wherever it is sent: behind a pooler that moves sessions between server
    // connections, the same name for another text would run the wrong statement, not fail. Never
    // reused on this connection: node-postgres remembers every name it has parsed there.
    const fresh = `playball_${createHash('sha1').update(text).digest('hex').slice(0, 20)}_${++this.named}`;
    this.names.set(text, fresh);
    return fresh;
  }

  /** Forgets a text whose prepared statement the server no longer runs (see `lostStatements`). */
  forget(text: string): void {
    if (this.names.delete(text)) this.retired += 1;
  }

  /** Forgets every name: the server dropped the connection's prepared statements (`DEALLOCATE ALL`). */
  forgetAll(): void {
    this.names.clear();
    this.retired = 0;
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

/** node-postgres's own query, which PreparingClient calls in the form it chose. */
const clientQuery = Client.prototype.query as (this: Client, ...args: unknown[]) => never;

function preparingClient(max: number): typeof Client {
  return class PreparingClient extends ListenedClient {
    readonly statementNames = new StatementNames(max);

    // TypeORM calls query(text, parameters) and awaits the promise; pg-pool's pool.query calls
    // query(text, parameters, callback). Every other form (a config object, a cursor or stream) goes
    // to node-postgres as it came.
    override query(config: unknown, values?: unknown, callback?: unknown): never {
      const name =
        typeof config === 'string' && Array.isArray(values) && values.length > 0
          ? this.statementNames.nameFor(config)
          : undefined;
      if (name === undefined) return clientQuery.call(this, config, values, callback);
      const text = config as string;
      if (typeof callback === 'function') {
        return clientQuery.call(this, { name, text }, values, (error: Error | null, result: unknown) => {
          if (error) this.forgetLost(text, error);
          (callback as (error: Error | null, result: unknown) => void)(error, result);
        });
      }
      return (clientQuery.call(this, { name, text }, values) as Promise<unknown>).catch((error: unknown) => {
        this.forgetLost(text, error);
        throw error;
      }) as never;
    }

    private forgetLost(text: string, error: unknown): void {
      const lost = lostStatements(error);
      if (lost === 'this one') this.statementNames.forget(text);
      if (lost === 'all') this.statementNames.forgetAll();
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

/**
 * PostgreSQL refuses a prepared statement whose result columns changed type since it was prepared.
 * Told by the function that raises it (plancache.c), as the message is translated under `lc_messages`.
 */
export function isCachedPlanChanged(error: unknown): boolean {
  const { code, routine } = error as { code?: unknown; routine?: unknown };
  return code === '0A000' && routine === 'RevalidateCachedQuery';
}
