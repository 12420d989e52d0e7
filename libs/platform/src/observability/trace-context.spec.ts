import { childTraceparent, currentTraceparent, runInTrace, traceIdOf } from './trace-context';

const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('reads the trace id of a valid traceparent only', () => {
    expect(traceIdOf(incoming)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    // A later version is read for its first fields; what it appends is ignored.
    expect(traceIdOf('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra')).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    for (const bad of [
      undefined,
      '',
      'garbage',
      incoming.toUpperCase(),
      `${incoming}-extra`,
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
    ]) {
      expect(traceIdOf(bad)).toBeUndefined();
    }
  });

  it('continues an incoming trace with a new span id and the same flags, as version 00', () => {
    const child = childTraceparent(incoming);
    expect(child).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(child).not.toBe(incoming);
    expect(childTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra')).toMatch(
      /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/,
    );
  });

  it('starts a new, unsampled trace when there is none or it is invalid', () => {
    const started = childTraceparent('garbage');
    expect(traceIdOf(started)).toMatch(/^[0-9a-f]{32}$/);
    expect(started.endsWith('-00')).toBe(true);
    expect(traceIdOf(childTraceparent(undefined))).not.toBe(traceIdOf(started));
  });

  it('never repeats an id, across refills of its random bytes', () => {
    // 2,000 traces use 48,000 random bytes: the 4 KiB pool is refilled eleven times.
    const traces = Array.from({ length: 2_000 }, () => childTraceparent(undefined));
    const ids = traces.flatMap((t) => t.split('-').slice(1, 3));
    expect(new Set(ids).size).toBe(ids.length);
    expect(traces.every((t) => /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/.test(t))).toBe(true);
    expect(ids.some((id) => /^0+$/.test(id))).toBe(false);
  });

  it('makes the span current for the work it runs, across awaits, and only there', async () => {
    expect(currentTraceparent()).toBeUndefined();
    const seen = await runInTrace(incoming, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentTraceparent();
    });
    expect(traceIdOf(seen)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(currentTraceparent()).toBeUndefined();
  });
});
