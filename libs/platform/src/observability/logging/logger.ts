import { LoggerService } from '@nestjs/common';
import { isatty } from 'node:tty';
import pino, { Level, Logger as Pino } from 'pino';
import { currentTraceparent, traceIdOf } from '../trace-context';
import { currentLogFields } from './log-context';
import { prettyDestination } from './pretty';
import { REDACTED, redactPaths } from './redaction';

/** LOG_LEVEL: Nest's level names, as before JSON logs. */
export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
/** LOG_FORMAT: `auto` is pretty on a terminal and JSON anywhere else (a file, a pipe, a collector). */
export type LogFormat = 'auto' | 'json' | 'pretty';

const pinoLevel: Record<LogLevel, Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export interface LoggerSettings {
  service: string;
  level: LogLevel;
  format: LogFormat;
}

/**
 * One JSON object per line on stdout, written synchronously (a crash's last lines are not lost in a
 * buffer), with the service, the trace id of the work in progress, and the fields of withLogFields
 * (request id, event id and coordinates). Secrets are censored by key (see redaction.ts).
 */
export function createLogger(
  { service, level, format }: LoggerSettings,
  destination?: { write(line: string): void },
): Pino {
  const pretty = format === 'pretty' || (format === 'auto' && isatty(1));
  return pino(
    {
      level: pinoLevel[level],
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: REDACTED },
      mixin: () => {
        const traceId = traceIdOf(currentTraceparent());
        return { ...currentLogFields(), ...(traceId ? { trace_id: traceId } : {}) };
      },
    },
    destination ?? (pretty ? prettyDestination(1, true) : pino.destination({ fd: 1, sync: true })),
  );
}

/**
 * Nest's LoggerService over pino, so every `new Logger(context)` in the code writes JSON lines. A
 * message may be an object: its `msg` is the message and its other keys become fields (event id,
 * topic, partition, offset...); an Error is logged whole under `err`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the logger's context last, and `error(message, stack, context)` a stack before it. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const stack = rest.find((p): p is string => typeof p === 'string');
    const fields: Record<string, unknown> = context ? { context } : {};
    if (stack) fields.stack = stack;
    if (message instanceof Error) return this.pino[level]({ ...fields, err: message }, message.message);
    if (typeof message === 'object' && message !== null) {
      const { msg, ...more } = message as Record<string, unknown>;
      return this.pino[level]({ ...fields, ...more }, typeof msg === 'string' ? msg : '');
    }
    this.pino[level](fields, String(message));
  }
}

/** The logger an app (or the relay's thread) gives Nest. */
export function nestLogger(settings: LoggerSettings): PinoNestLogger {
  return new PinoNestLogger(createLogger(settings));
}
