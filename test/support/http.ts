/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by expect(), not by types */
import { authClient } from './api-client';
import { checkAnswer, isDocumented } from './contract';

/**
 * `fetch` for tests: the answer is checked against the API contract (contract.ts), unless the test
 * gives `undocumented`, the reason it calls a route on purpose that no document describes.
 */
export async function fetchChecked(
  method: string,
  url: string,
  init: Omit<RequestInit, 'method'>,
  undocumented?: string,
): Promise<{ response: Response; text: string }> {
  if (undocumented !== undefined && isDocumented(method, url)) {
    throw new Error(`${method} ${url} is documented; it needs no \`undocumented\` (${undocumented})`);
  }
  const response = await fetch(url, { ...init, method });
  const text = await response.text();
  if (undocumented === undefined) {
    checkAnswer({ method, url, status: response.status, contentType: response.headers.get('content-type'), text });
  }
  return { response, text };
}

/** A tiny JSON client for driving the apps over HTTP in tests; every answer is checked by `fetchChecked`. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function http<T = any>(
  method: string,
  url: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; undocumented?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const { response, text } = await fetchChecked(method, url, { headers, body }, options.undocumented);
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

let counter = 0;

/** Registers a user and logs in through the typed client: the token and id a client would hold. */
export async function signUp(
  authUrl: string,
  displayName = 'Player',
): Promise<{ id: string; token: string; email: string; password: string }> {
  const email = `player-${process.pid}-${Date.now()}-${counter++}@example.com`;
  const password = 'correct horse battery';
  const auth = authClient(authUrl);
  const registered = await auth.POST('/auth/register', { body: { email, password, displayName } });
  if (!registered.data) throw new Error(`register: ${registered.response.status} ${JSON.stringify(registered.error)}`);
  const login = await auth.POST('/auth/login', { body: { email, password } });
  if (!login.data) throw new Error(`login: ${login.response.status} ${JSON.stringify(login.error)}`);
  return { id: registered.data.id, token: login.data.accessToken, email, password };
}
