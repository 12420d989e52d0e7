import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ResponseObject } from '@nestjs/swagger';
import { platformStatusByCode } from '../http/errors';
import { PROBLEM_CODES_EXTENSION, PUBLIC_EXTENSION } from './api-problems.decorator';
import { problemResponses, ProblemExtensions, sharedProblemExtensions } from './problem-responses';

export interface OpenApiService {
  title: string;
  description: string;
  /** Where `npm start` serves the app; the document's `servers`. */
  server: string;
  /** Each tag the app's routes use, with what it groups. */
  tags: Record<string, string>;
  /** The app's codes (the shared ones are added); the same map its ProblemFilter renders with. */
  statusByCode: Readonly<Record<string, number>>;
  /** Members the app's own problems carry besides RFC 9457's. */
  problemExtensions?: ProblemExtensions;
}

/** What the HTTP edge (configure-http.ts, the body pipes) can answer on any route that takes a body. */
const bodyProblems = [
  'REQUEST.INVALID',
  'REQUEST.MALFORMED_JSON',
  'REQUEST.TOO_LARGE',
  'REQUEST.UNSUPPORTED_MEDIA_TYPE',
];
/** What a route behind the bearer scheme answers without a valid token. */
const bearerProblems = ['AUTH.UNAUTHENTICATED'];

const documents = new WeakMap<INestApplication, OpenAPIObject>();

/**
 * Builds the app's OpenAPI document and serves it at /docs (UI) and /docs-json. It is built here,
 * at boot, so a route declaring a code without a status fails the app's start, not a reader.
 */
export function setupOpenApi(app: INestApplication, service: OpenApiService): void {
  const document = openApiDocument(app, service);
  documents.set(app, document);
  SwaggerModule.setup('docs', app, document);
}

/** The document `setupOpenApi` serves for this app (scripts/openapi.ts commits it). */
export function servedOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = documents.get(app);
  if (!document) throw new Error('setupOpenApi was not called for this app');
  return document;
}

function openApiDocument(app: INestApplication, service: OpenApiService): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(service.title)
    .setDescription(`${service.description} Errors are RFC 9457 problem+json with a stable \`code\`.`)
    .setVersion('1.0.0')
    .addServer(service.server, 'A local instance (`npm start`).')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from auth.' });
  for (const [name, description] of Object.entries(service.tags)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build());
  document.info.license = { name: 'UNLICENSED' }; // a private project: no license page to link
  const statusByCode = { ...platformStatusByCode, ...service.statusByCode };
  const extensions = { ...sharedProblemExtensions, ...service.problemExtensions };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      completeOperation(operation, `${method.toUpperCase()} ${path}`, path, statusByCode, extensions);
    }
  }
  return document;
}

/** Turns the route's declarations (api-problems.decorator.ts) into its security and problem answers. */
function completeOperation(
  operation: OperationObject,
  name: string,
  path: string,
  statusByCode: Readonly<Record<string, number>>,
  extensions: ProblemExtensions,
): void {
  const declared = operation as OperationObject & Record<string, unknown>;
  const isPublic = declared[PUBLIC_EXTENSION] === true;
  const codes = [
    ...((declared[PROBLEM_CODES_EXTENSION] as string[] | undefined) ?? []),
    ...(operation.requestBody ? bodyProblems : []),
    ...(operation.security?.length ? bearerProblems : []),
    // A path segment that is not valid percent-encoded UTF-8 (`%ED%A0%80`) is refused before the route runs.
    ...(path.includes('{') ? ['REQUEST.INVALID'] : []),
  ];
  delete declared[PUBLIC_EXTENSION];
  delete declared[PROBLEM_CODES_EXTENSION];
  if (isPublic === Boolean(operation.security?.length)) {
    throw new Error(`${name}: declare either @ApiBearerAuth() or @ApiPublic(), exactly one`);
  }
  if (isPublic) operation.security = [];
  for (const [status, response] of Object.entries(
    problemResponses([...new Set(codes)], statusByCode, extensions, path),
  )) {
    if (operation.responses[status]) throw new Error(`${name}: ${status} is both a problem and another answer`);
    operation.responses[status] = response;
  }
  hoistExamples(operation);
}

/**
 * A zod schema's `.meta({ example })` lands on the schema; moved to its media type, where readers
 * and `redocly lint` (no-invalid-media-type-examples) look for it.
 */
function hoistExamples(operation: OperationObject): void {
  const bodies = [operation.requestBody, ...Object.values(operation.responses as Record<string, ResponseObject>)];
  for (const body of bodies) {
    for (const media of Object.values((body as { content?: Record<string, Record<string, unknown>> })?.content ?? {})) {
      const schema = media.schema as { example?: unknown } | undefined;
      if (schema?.example === undefined) continue;
      media.example ??= schema.example; // an answer's own example wins over its schema's
      delete schema.example;
    }
  }
}
