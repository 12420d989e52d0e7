import {
  Attributes,
  ROOT_CONTEXT,
  SpanContext,
  SpanKind,
  SpanStatusCode,
  TimeInput,
  trace,
  Tracer,
} from '@opentelemetry/api';
import { childTraceparent, traceIdOf } from '../trace-context';

let tracer: Tracer | undefined;

/** Set by configureTracing; until then (and when tracing is off) spans cost nothing. */
export function useTracer(value: Tracer | undefined): void {
  tracer = value;
}

export function tracingEnabled(): boolean {
  return tracer !== undefined;
}

export { SpanKind };

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** For work measured elsewhere (the relay's thread): when it started. */
  startTime?: TimeInput;
}

/** A span in progress. `traceparent` names it: work done on its behalf carries it on. */
export interface SpanHandle {
  readonly traceparent: string;
  rename(name: string): void;
  /** Ends the span; with an error, marked failed and the error recorded. */
  end(options?: { error?: unknown; attributes?: Attributes; endTime?: TimeInput }): void;
}

const idle = (traceparent: string): SpanHandle => ({ traceparent, rename: () => undefined, end: () => undefined });

/**
 * Starts a span as the child of `incoming` (a W3C traceparent: the caller's, or the event's), or
 * as a new trace's root. With tracing off it only makes the child traceparent, as before tracing
 * existed, so the trace id still travels with every event.
 */
export function startSpan(name: string, incoming: string | undefined, options: SpanOptions = {}): SpanHandle {
  if (!tracer) return idle(childTraceparent(incoming));
  const parent = spanContextOf(incoming);
  const context = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  const span = tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, startTime: options.startTime },
    context,
  );
  const { traceId, spanId, traceFlags } = span.spanContext();
  return {
    traceparent: `00-${traceId}-${spanId}-${(traceFlags & 1) === 1 ? '01' : '00'}`,
    rename: (newName) => span.updateName(newName),
    end: ({ error, attributes, endTime } = {}) => {
      if (attributes) span.setAttributes(attributes);
      if (error !== undefined) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      span.end(endTime);
    },
  };
}

/** Whether a traceparent asks for its trace to be recorded (the sampled flag). */
export function isSampled(traceparent: string | undefined): boolean {
  return traceIdOf(traceparent) !== undefined && (parseInt(traceparent!.trim().slice(53, 55), 16) & 1) === 1;
}

function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  const traceId = traceIdOf(traceparent);
  if (!traceId) return undefined;
  const value = traceparent!.trim();
  return { traceId, spanId: value.slice(36, 52), traceFlags: parseInt(value.slice(53, 55), 16), isRemote: true };
}
