import { tracesExporters } from './configure-tracing';
import { startSpan, tracingEnabled } from './spans';

describe('tracing configuration', () => {
  const off = { OTEL_SDK_DISABLED: false };

  it('is off by default, and spans then only continue the incoming trace', () => {
    expect(tracesExporters(off)).toEqual([]);
    expect(tracingEnabled()).toBe(false);
    const span = startSpan('POST /auth/register', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(span.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(span.traceparent).not.toContain('00f067aa0ba902b7');
  });

  it('exports over OTLP once an endpoint is set, and as OTEL_TRACES_EXPORTER names', () => {
    expect(tracesExporters({ ...off, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual(['otlp']);
    expect(tracesExporters({ ...off, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toEqual([
      'otlp',
    ]);
    expect(tracesExporters({ ...off, OTEL_TRACES_EXPORTER: 'otlp, console' })).toEqual(['otlp', 'console']);
    expect(
      tracesExporters({ ...off, OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toEqual([]);
  });

  it('stays off when OTEL_SDK_DISABLED says so, whatever else is set', () => {
    expect(tracesExporters({ OTEL_SDK_DISABLED: true, OTEL_TRACES_EXPORTER: 'otlp' })).toEqual([]);
  });
});
