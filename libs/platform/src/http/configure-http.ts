import { HttpStatus, INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import helmet from 'helmet';
import { enterRequestContext, observeRequests } from './observe-requests';
import { ProblemFilter } from './problem.filter';

/** Bodies above this are refused with 413: every request body here is a small JSON object. */
export const MAX_BODY_BYTES = 100 * 1024;

/**
 * The HTTP edge both apps share: each request with an id, logged, and in a span of the caller's
 * trace (`traceparent`) or a new one; security headers (helmet's defaults: a restrictive
 * Content-Security-Policy, nosniff, HSTS, no X-Powered-By; framing refused); JSON bodies only and
 * at most 100 kB, every error as problem+json, and shutdown hooks so SIGTERM drains the relay and
 * consumers.
 */
export function configureHttp(app: INestApplication, statusByCode: Readonly<Record<string, HttpStatus>>): void {
  app.use(observeRequests);
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  // Nothing here is meant to be framed (clickjacking): 'none' and DENY, not helmet's same-origin default.
  app.use(
    helmet({ contentSecurityPolicy: { directives: { frameAncestors: ["'none'"] } }, frameguard: { action: 'deny' } }),
  );
  app.use(json({ limit: MAX_BODY_BYTES, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(requireJsonBody);
  app.use(enterRequestContext);
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
