/** openapi: the HTTP contract (OpenAPI) and the event contract (AsyncAPI) served by each app. */
export * from './api-problems.decorator';
export * from './openapi-schema';
export * from './openapi';
export * from './asyncapi.controller';
