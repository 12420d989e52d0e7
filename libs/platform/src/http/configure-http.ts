import { HttpStatus, INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { runInTrace } from '../observability/trace-context';
import { ProblemFilter } from './problem.filter';

/** Bodies above this are refused with 413: every request body here is a small JSON object. */
export const MAX_BODY_BYTES = 100 * 1024;

/**
 * The HTTP edge both apps share: each request in a trace (the caller's `traceparent`, or a new one),
 * JSON bodies only and at most 100 kB, every error as problem+json, and shutdown hooks so SIGTERM
 * drains the relay and consumers.
 */
export function configureHttp(app: INestApplication, statusByCode: Readonly<Record<string, HttpStatus>>): void {
  app.use(json({ limit: MAX_BODY_BYTES, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(requireJsonBody);
  // After the body parser: it calls next() from the request stream's events, outside this context.
  app.use((request: Request, _response: Response, next: NextFunction) => runInTrace(request.get('traceparent'), next));
  app.useGlobalFilters(new ProblemFilter(statusByCode));
  app.enableShutdownHooks();
}

const problemFor415 = new ProblemFilter();

/** A body in any other media type would reach validation as `{}`; refuse it as what it is instead. */
function requireJsonBody(request: Request, response: Response, next: NextFunction): void {
  const hasBody =
    Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody || request.is(['application/json', 'application/*+json'])) return next();
  const problem = problemFor415.toProblem(
    Object.assign(new Error('Request bodies must be application/json.'), { type: 'encoding.unsupported' }),
  );
  response
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify({ ...problem, instance: request.originalUrl }));
}

/** Nest's logger levels up to and including LOG_LEVEL. */
export function logLevels(level: 'error' | 'warn' | 'log' | 'debug' | 'verbose') {
  const order = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
