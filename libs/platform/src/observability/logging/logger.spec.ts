import { runAsSpan } from '../trace-context';
import { withLogFields } from './log-context';
import { createLogger, LoggerSettings, PinoNestLogger } from './logger';
import { prettyLine } from './pretty';

function capture(settings: Partial<LoggerSettings> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = new PinoNestLogger(
    createLogger(
      { service: 'auth', level: 'log', format: 'json', ...settings },
      { write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    ),
  );
  return { logger, lines };
}

describe('the JSON logger', () => {
  it('writes Nest messages as JSON lines with the service and the Nest context', () => {
    const { logger, lines } = capture();
    logger.log('listening on http://127.0.0.1:3001', 'auth');
    logger.warn({ msg: 'event failed, retrying', event_id: 'e1', partition: 2, offset: '7' }, 'Inbox(g)');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        service: 'auth',
        context: 'auth',
        msg: 'listening on http://127.0.0.1:3001',
      }),
      expect.objectContaining({
        level: 40,
        context: 'Inbox(g)',
        msg: 'event failed, retrying',
        event_id: 'e1',
        partition: 2,
        offset: '7',
      }),
    ]);
  });

  it('logs an error whole, with its stack, and a stack Nest passes beside a message', () => {
    const { logger, lines } = capture();
    logger.error(new TypeError('boom'), 'ProblemFilter');
    logger.error('failed', 'Error: x\n    at y', 'ExceptionHandler');
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'ProblemFilter',
      msg: 'boom',
      err: { type: 'TypeError', message: 'boom' },
    });
    expect((lines[0].err as { stack: string }).stack).toContain('TypeError: boom');
    expect(lines[1]).toMatchObject({ context: 'ExceptionHandler', msg: 'failed', stack: 'Error: x\n    at y' });
  });

  it('censors passwords, tokens and emails wherever they sit in a logged object', () => {
    const { logger, lines } = capture();
    logger.log({
      msg: 'a careless line',
      email: 'ada@example.com',
      body: { password: 'hunter2', currentPassword: 'old', email: 'ada@example.com' },
      headers: { authorization: 'Bearer eyJ' },
      accessToken: 'eyJ',
    });
    const text = JSON.stringify(lines);
    for (const secret of ['ada@example.com', 'hunter2', 'old', 'eyJ']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ email: '[redacted]', body: { password: '[redacted]' } });
  });

  it('adds the trace id and the fields of the work in progress to every line', () => {
    const { logger, lines } = capture();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    withLogFields({ request_id: 'r-1' }, () => runAsSpan(traceparent, () => logger.log('inside', 'HTTP')));
    logger.log('outside', 'HTTP');
    expect(lines[0]).toMatchObject({ request_id: 'r-1', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(lines[1]).not.toHaveProperty('request_id');
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('keeps the trace when fields are added inside it, and the fields when a span starts inside them', async () => {
    const { logger, lines } = capture();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const other = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await runAsSpan(traceparent, () =>
      withLogFields({ event_id: 'e-1' }, async () => {
        await Promise.resolve();
        logger.log('fields inside the trace', 'Inbox');
        await withLogFields({ partition: 2 }, () => runAsSpan(other, async () => logger.log('a span inside', 'Inbox')));
        logger.log('back', 'Inbox');
      }),
    );
    expect(lines).toMatchObject([
      { event_id: 'e-1', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      { event_id: 'e-1', partition: 2, trace_id: '0af7651916cd43dd8448eb211c80319c' },
      { event_id: 'e-1', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' },
    ]);
    expect(lines[2]).not.toHaveProperty('partition');
  });

  it('drops lines below LOG_LEVEL (verbose is the most, error the least)', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.log('info', 'x');
    logger.debug('debug', 'x');
    logger.warn('warn', 'x');
    expect(lines.map((l) => l.msg)).toEqual(['warn']);
  });

  it('prints a line for a person on a terminal: time, level, context, message, then the fields', () => {
    const json = JSON.stringify({
      level: 40,
      time: '2026-11-26T14:37:32.101Z',
      service: 'auth',
      context: 'Inbox',
      msg: 'retrying',
      event_id: 'e1',
    });
    expect(prettyLine(json, false)).toBe('14:37:32.101 WARN  [Inbox] retrying  event_id=e1\n');
  });
});
