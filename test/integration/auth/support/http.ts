import { fetchChecked } from '../../../support/http';
import { uniqueName } from '../../../support/kafka';

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Why this test calls, on purpose, a route no document describes (its answer is then not checked). */
  undocumented?: string;
}

/** One request; the answer is checked against the API contract (test/support/contract.ts). */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const { response, text } = await fetchChecked(method, `${baseUrl}${path}`, { headers, body }, options.undocumented);
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: isJson && text ? JSON.parse(text) : text };
}

export interface RegisteredUser {
  id: string;
  email: string;
  password: string;
  displayName: string;
}

export function newUser(overrides: Partial<Omit<RegisteredUser, 'id'>> = {}): Omit<RegisteredUser, 'id'> {
  return {
    email: `${uniqueName('user')}@example.com`,
    password: 'correct horse battery staple',
    displayName: 'Ada Lovelace',
    ...overrides,
  };
}

/** Registers a new user and fails loudly if that does not work. */
export async function register(
  baseUrl: string,
  overrides: Partial<Omit<RegisteredUser, 'id'>> = {},
): Promise<RegisteredUser> {
  const user = newUser(overrides);
  const response = await request(baseUrl, 'POST', '/auth/register', { body: user });
  if (response.status !== 201)
    throw new Error(`register answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { ...user, id: response.body.id };
}

/** The body a login takes. */
export function credentials(user: { email: string; password: string }) {
  return { email: user.email, password: user.password };
}

export async function login(baseUrl: string, user: { email: string; password: string }): Promise<string> {
  const response = await request(baseUrl, 'POST', '/auth/login', { body: credentials(user) });
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.accessToken;
}

/** A registered user and a token for them. */
export async function signedUp(baseUrl: string, overrides: Partial<Omit<RegisteredUser, 'id'>> = {}) {
  const user = await register(baseUrl, overrides);
  return { user, token: await login(baseUrl, user) };
}
