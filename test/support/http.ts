/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by expect(), not by types */

/** A tiny JSON client for driving the apps over HTTP in tests. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function http<T = any>(
  method: string,
  url: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

let counter = 0;

/** Registers a user and logs in: the token and id a client would hold. */
export async function signUp(
  authUrl: string,
  displayName = 'Player',
): Promise<{ id: string; token: string; email: string; password: string }> {
  const email = `player-${process.pid}-${Date.now()}-${counter++}@example.com`;
  const password = 'correct horse battery';
  const registered = await http('POST', `${authUrl}/auth/register`, { body: { email, password, displayName } });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await http('POST', `${authUrl}/auth/login`, { body: { email, password } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: registered.body.id, token: login.body.accessToken, email, password };
}
