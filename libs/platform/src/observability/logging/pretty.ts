import { writeSync } from 'node:fs';

const levelNames: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const levelColours: Record<number, string> = { 10: '90', 20: '35', 30: '32', 40: '33', 50: '31', 60: '41' };
/** Shown in the line's head, so not repeated among its fields. */
const headFields = new Set(['level', 'time', 'msg', 'context', 'pid', 'hostname', 'service']);

/**
 * One JSON log line as a person reads it on a terminal: time, level, context, message, then the
 * other fields as key=value. A small formatter instead of pino-pretty: nothing to install or
 * resolve at run time, and it runs on the relay's worker thread as on the main one.
 */
export function prettyLine(json: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = Number(entry.level);
  const name = (levelNames[level] ?? String(entry.level)).padEnd(5);
  const time = new Date(String(entry.time)).toISOString().slice(11, 23);
  const paint = (text: string) => (colour ? `\u001b[${levelColours[level] ?? '0'}m${text}\u001b[0m` : text);
  const context = entry.context ? ` [${String(entry.context)}]` : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !headFields.has(key) && key !== 'err')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const err = entry.err as { stack?: string } | undefined;
  const tail = fields.length > 0 ? `  ${fields.join(' ')}` : '';
  return `${time} ${paint(name)}${context} ${String(entry.msg ?? '')}${tail}${err?.stack ? `\n${err.stack}` : ''}\n`;
}

/** A pino destination that writes each line pretty to a file descriptor, synchronously like pino's own. */
export function prettyDestination(fd: number, colour: boolean): { write(line: string): void } {
  return { write: (line) => void writeSync(fd, prettyLine(line, colour)) };
}
