import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { currentLogFields } from '../observability/logging/log-context';
import { counter, histogram } from '../observability/metrics';
import { traceIdOf } from '../observability/trace-context';
import { SpanHandle, SpanKind, startSpan } from '../observability/tracing/spans';
import { runWithContext } from '../observability/work-context';

/** A caller's X-Request-Id is kept when it is an id (a proxy's, a client's), never arbitrary text in our logs. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

interface RequestObservation {
  requestId: string;
  span: SpanHandle;
}

const logger = new Logger('HTTP');
const requests = counter('http_requests_total', 'HTTP requests answered, by route and status', [
  'method',
  'route',
  'status',
]);
// The apps answered in 20–185 ms at p99 under load (README, bench); 3 s is the user view's longest wait.
const durations = histogram(
  'http_request_duration_seconds',
  'Time from the request to its answer',
  ['method', 'route'],
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
);

/**
 * First on every request: its id (the caller's X-Request-Id or a new one, echoed back), its server
 * span (child of the caller's `traceparent`), and on finish one log line and the span's end. First,
 * so a body the parser refuses is still logged and traced.
 */
export function observeRequests(request: Request, response: Response, next: NextFunction): void {
  const incoming = request.get('x-request-id');
  const requestId = incoming !== undefined && requestIdPattern.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', requestId);
  const span = startSpan(`${request.method}`, request.get('traceparent'), {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': request.method, 'url.path': request.path },
  });
  const started = performance.now();
  response.locals.observation = { requestId, span } satisfies RequestObservation;
  response.once('finish', () => {
    // The query string stays out of logs and spans: nothing needs it, and it is the caller's text.
    const route = (request.route as { path?: string } | undefined)?.path;
    const status = response.statusCode;
    const seconds = (performance.now() - started) / 1000;
    // A path that matched no route is not a label value: a scanner would make one series per URL.
    requests.inc({ method: request.method, route: route ?? 'unmatched', status: String(status) });
    durations.observe({ method: request.method, route: route ?? 'unmatched' }, seconds);
    span.rename(`${request.method} ${route ?? request.path}`);
    span.end({
      attributes: { 'http.response.status_code': status, ...(route ? { 'http.route': route } : {}) },
      ...(status >= 500 ? { error: `HTTP ${status}` } : {}),
    });
    logger.log({
      msg: `${request.method} ${request.path} ${status}`,
      request_id: requestId,
      trace_id: traceIdOf(span.traceparent),
      method: request.method,
      path: request.path,
      ...(route ? { route } : {}),
      status,
      duration_ms: Math.round(seconds * 10_000) / 10,
    });
  });
  next();
}

/**
 * After the body parser (it calls next() from the request stream's events, outside any context):
 * the rest of the request runs in its span's trace and with its request id on every log line.
 */
export function enterRequestContext(_request: Request, response: Response, next: NextFunction): void {
  const { requestId, span } = response.locals.observation as RequestObservation;
  runWithContext({ logFields: { ...currentLogFields(), request_id: requestId }, traceparent: span.traceparent }, next);
}
