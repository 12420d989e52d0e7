import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './infrastructure';

/**
 * Every answer a test receives over HTTP is checked here against the committed OpenAPI documents
 * (docs/openapi/*.json, kept equal to what the apps serve by `npm run check`): the route and the
 * status must be documented, the content type must be one the status lists, and the body must match
 * its schema, which admits no member it does not name. So an undocumented field, status or problem
 * code fails the test that met it.
 */

interface MediaType {
  schema?: object;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Route {
  document: string;
  template: string;
  pattern: RegExp;
  operations: Record<string, Operation>;
}

export interface Answer {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  /** The body as received. */
  text: string;
}

let routes: Route[] | undefined;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validators = new WeakMap<object, ValidateFunction>();

const documentsFolder = join(repoRoot, 'docs', 'openapi');

/** docs/openapi/<app>.json as committed. */
export function committedOpenApiDocument(app: string): unknown {
  return JSON.parse(readFileSync(join(documentsFolder, `${app}.json`), 'utf8'));
}

function loadRoutes(): Route[] {
  return readdirSync(documentsFolder)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const { paths } = committedOpenApiDocument(file.replace(/\.json$/, '')) as {
        paths: Record<string, Record<string, Operation>>;
      };
      return Object.entries(paths).map(([template, operations]) => ({
        document: file,
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
        operations,
      }));
    });
}

/** The documented operations `method url` can be, in every document that has it (the service routes are in both). */
function operationsFor(method: string, url: string): { name: string; operation: Operation }[] {
  routes ??= loadRoutes();
  const path = new URL(url).pathname;
  return routes
    .filter((route) => route.pattern.test(path) && route.operations[method.toLowerCase()])
    .map((route) => ({
      name: `${method.toUpperCase()} ${route.template} (${route.document})`,
      operation: route.operations[method.toLowerCase()],
    }));
}

/** Whether any document describes `method url`; a test may call an undocumented route only on purpose. */
export function isDocumented(method: string, url: string): boolean {
  return operationsFor(method, url).length > 0;
}

/** Throws, naming what differs, unless the answer is one the documents describe. */
export function checkAnswer(answer: Answer): void {
  const candidates = operationsFor(answer.method, answer.url);
  if (candidates.length === 0) {
    throw new Error(`${answer.method} ${answer.url} is not in docs/openapi; document the route`);
  }
  const failures: string[] = [];
  for (const { name, operation } of candidates) {
    const problem = mismatch(operation, answer);
    if (problem === undefined) return;
    failures.push(`${name}: ${problem}`);
  }
  throw new Error(
    `the answer breaks the API contract (docs/openapi):\n${failures.join('\n')}\nbody: ${answer.text.slice(0, 2000)}`,
  );
}

function mismatch(operation: Operation, answer: Answer): string | undefined {
  const response = operation.responses[String(answer.status)];
  if (!response) {
    return `answered ${answer.status}, which is not documented (documented: ${Object.keys(operation.responses).join(', ')})`;
  }
  if (!response.content)
    return answer.text === '' ? undefined : `answered ${answer.status} with a body, documented without one`;
  const mediaType = (answer.contentType ?? '').split(';')[0].trim().toLowerCase();
  const media = response.content[mediaType];
  if (!media) {
    return `answered ${answer.status} as '${mediaType}', documented as ${Object.keys(response.content).join(', ')}`;
  }
  if (!media.schema) return undefined;
  let body: unknown;
  try {
    body = /json/.test(mediaType) ? JSON.parse(answer.text) : answer.text;
  } catch {
    return `answered ${answer.status} with a body that is not the JSON its '${mediaType}' says`;
  }
  const validate = validatorFor(media.schema);
  if (validate(body)) return undefined;
  return `answered ${answer.status} with a body its schema refuses: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`;
}

function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}
