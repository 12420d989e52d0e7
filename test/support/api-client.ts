import createClient, { Client, Middleware } from 'openapi-fetch';
import type { paths as AuthPaths } from './api/auth';
import type { paths as GroupManagementPaths } from './api/group-management';
import { checkAnswer } from './contract';

/**
 * Typed clients generated from the committed OpenAPI documents (`npm run openapi` writes the types
 * in ./api), as a consumer would build them: a path, parameter or body the documents do not have
 * fails the typecheck where it is used. Every answer is also checked against the documents.
 */
const contract: Middleware = {
  async onResponse({ request, response }) {
    checkAnswer({
      method: request.method,
      url: request.url,
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.clone().text(),
    });
    return undefined;
  },
};

export type AuthClient = Client<AuthPaths>;
export type GroupManagementClient = Client<GroupManagementPaths>;

export function authClient(baseUrl: string): AuthClient {
  const client = createClient<AuthPaths>({ baseUrl });
  client.use(contract);
  return client;
}

export function groupManagementClient(baseUrl: string): GroupManagementClient {
  const client = createClient<GroupManagementPaths>({ baseUrl });
  client.use(contract);
  return client;
}

/** The request option that sends an access token. */
export function bearer(token: string): { headers: { authorization: string } } {
  return { headers: { authorization: `Bearer ${token}` } };
}
