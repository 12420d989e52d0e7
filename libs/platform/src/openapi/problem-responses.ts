import type { ResponseObject, SchemaObject } from '@nestjs/swagger';
import { problem } from '../http/problem.filter';

/** Members a problem carries besides RFC 9457's, by code, as documented (each with an example). */
export type ProblemExtensions = Record<string, Record<string, SchemaObject & { example: unknown }>>;

const retryAfter = {
  retryAfter: { type: 'integer', minimum: 0, description: 'Seconds; also sent as `Retry-After`.', example: 1 },
} satisfies ProblemExtensions[string];

/** The members the platform's own problems carry (http/zod-body.pipe.ts, http/problem.filter.ts). */
export const sharedProblemExtensions: ProblemExtensions = {
  'REQUEST.INVALID': {
    errors: {
      type: 'array',
      description: 'One entry per invalid field.',
      items: {
        type: 'object',
        required: ['path', 'message'],
        additionalProperties: false,
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
      example: [{ path: 'email', message: 'must be an email address' }],
    },
  },
  RATE_LIMITED: retryAfter,
  'CONSISTENCY.PENDING': retryAfter,
  'SERVICE.UNAVAILABLE': retryAfter,
};

/**
 * One problem+json answer per status for the given codes: the schema admits exactly those codes and
 * the members they carry (nothing else), with one example per code.
 */
export function problemResponses(
  codes: string[],
  statusByCode: Readonly<Record<string, number>>,
  extensions: ProblemExtensions,
  path: string,
): Record<string, ResponseObject> {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = statusByCode[code];
    if (status === undefined) throw new Error(`${path}: problem code ${code} has no status in statusByCode`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => [
      String(status),
      problemResponse(status, statusCodes, extensions, path),
    ]),
  );
}

function problemResponse(status: number, codes: string[], extensions: ProblemExtensions, path: string): ResponseObject {
  const members = Object.assign({}, ...codes.map((code) => extensions[code] ?? {})) as ProblemExtensions[string];
  const schema: SchemaObject = {
    type: 'object',
    description: 'RFC 9457 problem details with a stable `code`.',
    required: ['type', 'title', 'status', 'code'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', format: 'uri' },
      title: { type: 'string' },
      status: { type: 'integer', enum: [status] },
      code: { type: 'string', enum: codes },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'The request path.' },
      ...Object.fromEntries(Object.entries(members).map(([name, { example: _example, ...member }]) => [name, member])),
    },
  };
  const examples = Object.fromEntries(
    codes.map((code) => {
      const memberExamples = Object.entries(extensions[code] ?? {}).map(([name, member]) => [name, member.example]);
      const value = {
        ...problem(status, code, 'A human-readable explanation; it may change, `code` does not.'),
        ...Object.fromEntries(memberExamples),
      };
      return [code, { value: { ...value, instance: path } }];
    }),
  );
  const retries = Object.keys(members).includes('retryAfter');
  return {
    description: codes.join(', '),
    ...(retries && {
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
    }),
    content: { 'application/problem+json': { schema, examples } },
  };
}
