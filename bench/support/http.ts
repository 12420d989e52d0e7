import autocannon, { Request, Result } from 'autocannon';

export async function call(url: string, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as Record<string, unknown>;
}

/**
 * Registers `count` users over HTTP one after the other, then logs them all in at once, as a burst
 * of logins comes: auth's peak memory over the run includes that burst, which PASSWORD_HASH_CONCURRENCY
 * bounds. Returns their ids and access tokens.
 */
export async function signUp(authUrl: string, count: number): Promise<{ id: string; token: string }[]> {
  const password = 'correct horse battery';
  const registered = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-http-${Date.now()}-${i}@example.com`;
    const { id } = await call(authUrl, 'POST', '/auth/register', { email, password, displayName: `Http ${i}` });
    registered.push({ id: id as string, email });
  }
  return Promise.all(
    registered.map(async ({ id, email }) => {
      const { accessToken } = await call(authUrl, 'POST', '/auth/login', { email, password });
      return { id, token: accessToken as string };
    }),
  );
}

const signedUpUsers = new Map<string, Promise<{ id: string; token: string }[]>>();

/** The same users for every measure of a run (each sign-up costs two argon2 hashes). */
export function signedUp(authUrl: string, count: number): Promise<{ id: string; token: string }[]> {
  const key = `${authUrl} ${count}`;
  if (!signedUpUsers.has(key)) signedUpUsers.set(key, signUp(authUrl, count));
  return signedUpUsers.get(key)!;
}

export interface Load {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second for all connections together; unset: as fast as they answer. */
  overallRate?: number;
  request: (n: number) => Pick<Request, 'method' | 'path' | 'headers' | 'body'>;
}

/** autocannon at fixed concurrency (or a fixed rate); fails if any answer was not 2xx. */
export async function load({ url, connections, seconds, overallRate, request }: Load): Promise<Result> {
  let n = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    overallRate,
    requests: [{ setupRequest: (req) => ({ ...req, ...request(n++) }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors of ${result.requests.total}`);
  }
  return result;
}
