import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written inside some work carries: a request id, an event's coordinates. */
export type LogFields = Record<string, string | number | undefined>;

const current = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` added to every log line it writes (on top of the fields already in force). */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return current.run({ ...current.getStore(), ...fields }, work);
}

export function currentLogFields(): LogFields | undefined {
  return current.getStore();
}
