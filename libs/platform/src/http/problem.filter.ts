import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isTransient } from '../retry/transient-error';
import { AppError } from './app-error';
import { platformStatusByCode } from './errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** Body-parser signals its own failures through `type` on a plain error. */
const bodyParserCodes: Record<string, keyof typeof platformStatusByCode> = {
  'entity.parse.failed': 'REQUEST.MALFORMED_JSON',
  'entity.too.large': 'REQUEST.TOO_LARGE',
  'encoding.unsupported': 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  'charset.unsupported': 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Renders every error as RFC 9457 problem+json with a stable `code`: the platform's codes, and the
 * app's own (its src/errors.ts). A code the map lacks cannot be thrown (AppError is typed), so a 500
 * here means an error that is not an AppError.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);
  private readonly statusByCode: Readonly<Record<string, HttpStatus>>;

  constructor(appStatusByCode: Readonly<Record<string, HttpStatus>> = {}) {
    this.statusByCode = { ...platformStatusByCode, ...appStatusByCode };
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    // group-management's Kafka handlers inherit the global filters (inheritAppConfig). Their failure
    // is no HTTP answer: thrown on, it rejects the handler, ServerKafka hands it to kafkajs, and the
    // batch stays uncommitted. The inbox throws one on purpose when the consumer stops mid-batch;
    // rendered here, it was logged as a 500.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl;
    if (problem.status >= 500 && problem.code === 'INTERNAL') this.logger.error(exception);
    if (problem.code === 'SERVICE.UNAVAILABLE')
      this.logger.warn(`dependency unavailable: ${(exception as Error).message}`);
    if (typeof problem.retryAfter === 'number') response.setHeader('Retry-After', String(problem.retryAfter));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof AppError) {
      const status = this.statusByCode[exception.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      return problem(status, exception.code, exception.message, exception.extensions);
    }
    // Nest's Express adapter wraps body-parser's errors in an HttpException; the original is its cause.
    const bodyParserError = [exception, (exception as { cause?: unknown } | null)?.cause].find((e) => {
      const type = (e as { type?: unknown } | null)?.type;
      return typeof type === 'string' && type in bodyParserCodes;
    }) as (Error & { type: string }) | undefined;
    if (bodyParserError) {
      const code = bodyParserCodes[bodyParserError.type];
      return problem(this.statusByCode[code], code, bodyParserError.message);
    }
    // The database or network failed, not the request: the client may retry it as it is.
    if (isTransient(exception)) {
      return problem(HttpStatus.SERVICE_UNAVAILABLE, 'SERVICE.UNAVAILABLE', 'A dependency is briefly unavailable.', {
        retryAfter: 1,
      });
    }
    // Express could not decode a path parameter (`%ED%A0%80`, `%E0%A4%A`): the request is malformed.
    const undecodable = [exception, (exception as { cause?: unknown } | null)?.cause].find(
      (e) => e instanceof URIError,
    );
    if (undecodable) return problem(HttpStatus.BAD_REQUEST, 'REQUEST.INVALID', (undecodable as URIError).message);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return problem(status, `HTTP.${HttpStatus[status] ?? status}`, exception.message);
    }
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', 'An unexpected error occurred.');
  }
}

export function problem(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `https://playball.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
    title: titleOf(status),
    status,
    code,
    detail,
    ...extensions,
  };
}

function titleOf(status: number): string {
  const name = HttpStatus[status] ?? 'ERROR';
  return name.charAt(0) + name.slice(1).toLowerCase().replace(/_/g, ' ');
}
