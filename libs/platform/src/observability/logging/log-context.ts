import { currentContext, LogFields, runWithContext } from '../work-context';

export type { LogFields } from '../work-context';

/** Runs `work` with `fields` added to every log line it writes (on top of the fields already in force). */
export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return runWithContext({ logFields: { ...currentLogFields(), ...fields } }, work);
}

export function currentLogFields(): LogFields | undefined {
  return currentContext()?.logFields;
}
