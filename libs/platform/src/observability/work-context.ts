import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside some work carries: a request id, an event's coordinates. */
export type LogFields = Record<string, string | number | undefined>;

/** What the work in progress runs with: its log fields (log-context.ts) and its trace (trace-context.ts). */
export interface WorkContext {
  logFields?: LogFields;
  traceparent?: string;
}

/**
 * One store for both. On Node 20 every AsyncLocalStorage in use copies its store onto every promise
 * created: awaiting 2,000,000 promises took 145 ns each with one instance and 240 ns with two (59
 * with none), and auth's PATCH creates promises by the hundred (TypeORM, pg, Nest).
 */
const current = new AsyncLocalStorage<WorkContext>();

/** Runs `work` with `changes` on top of the context already in force. */
export function runWithContext<T>(changes: WorkContext, work: () => T): T {
  return current.run({ ...current.getStore(), ...changes }, work);
}

export function currentContext(): WorkContext | undefined {
  return current.getStore();
}
