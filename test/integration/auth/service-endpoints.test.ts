import { createPublicKey } from 'node:crypto';
import { authAppForTests } from './support/auth-app';
import { committedOpenApiDocument } from '../../support/contract';
import { request, signedUp } from './support/http';

jest.setTimeout(30_000);

describe('the service endpoints', () => {
  const auth = authAppForTests();

  describe('GET /.well-known/jwks.json', () => {
    it('serves the public half of the signing key, and nothing private', async () => {
      const response = await request(auth.url, 'GET', '/.well-known/jwks.json');

      expect(response.status).toBe(200);
      expect(response.body.keys).toHaveLength(1);
      const [key] = response.body.keys;
      expect(key).toEqual({
        kty: 'RSA',
        n: expect.any(String),
        e: 'AQAB',
        kid: expect.any(String),
        alg: 'RS256',
        use: 'sig',
      });
      const served = createPublicKey({ key, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
      expect(served).toBe(createPublicKey(auth.signingKey).export({ format: 'pem', type: 'spki' }));
    });
  });

  describe('GET /docs-json', () => {
    it('describes every route, with the request bodies taken from the zod schemas', async () => {
      const response = await request(auth.url, 'GET', '/docs-json', { undocumented: 'the document is not in itself' });

      expect(response.status).toBe(200);
      const { paths } = response.body;
      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining(['/auth/register', '/auth/login', '/users/me', '/.well-known/jwks.json', '/health']),
      );
      expect(Object.keys(paths)).not.toContain('/metrics');
      expect(Object.keys(paths['/users/me']).sort()).toEqual(['delete', 'get', 'patch']);
      const registerBody = paths['/auth/register'].post.requestBody.content['application/json'].schema;
      expect(registerBody).toMatchObject({
        type: 'object',
        required: ['email', 'password', 'displayName'],
        additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 254 },
          password: { type: 'string', minLength: 8, maxLength: 128 },
          displayName: { type: 'string', minLength: 1, maxLength: 100 },
        },
      });
      expect(paths['/auth/register'].post.responses['409'].content['application/problem+json']).toBeDefined();
      expect(paths['/users/me'].get.security).toEqual([{ bearer: [] }]);
    });

    it('is the document committed in docs/openapi, which `npm run openapi` writes', async () => {
      const response = await request(auth.url, 'GET', '/docs-json', { undocumented: 'the document is not in itself' });

      expect(response.body).toEqual(committedOpenApiDocument('auth'));
    });

    it('serves the Swagger UI at /docs', async () => {
      const response = await request(auth.url, 'GET', '/docs', { undocumented: 'the UI that renders the document' });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
    });
  });

  describe('GET /asyncapi.json', () => {
    it('serves the event contract as an AsyncAPI 3.0 document', async () => {
      const response = await request(auth.url, 'GET', '/asyncapi.json');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        asyncapi: '3.0.0',
        channels: { user: { address: 'auth.user.v1' }, group: { address: 'group-management.group.v1' } },
      });
    });
  });

  describe('GET /health/live', () => {
    it('answers 200 while the process serves HTTP', async () => {
      const response = await request(auth.url, 'GET', '/health/live');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'up' });
    });
  });

  describe('GET /health', () => {
    it('reports the database, Kafka and the outbox relay up', async () => {
      const response = await request(auth.url, 'GET', '/health');

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'up',
        checks: { database: { status: 'up' }, kafka: { status: 'up' }, outbox: { status: 'up' } },
      });
    });
  });

  describe('GET /metrics', () => {
    it('exposes the login counter in Prometheus format on the metrics listener', async () => {
      const { user } = await signedUp(auth.url);
      await request(auth.url, 'POST', '/auth/login', { body: { email: user.email, password: 'wrong password' } });

      const response = await request(auth.metricsUrl, 'GET', '', {
        undocumented: 'the metrics listener is not the API the documents describe',
      });

      expect(response.status).toBe(200);
      expect(new URL(auth.metricsUrl).port).not.toBe(new URL(auth.url).port);
      expect(response.body).toMatch(/^auth_logins_total\{outcome="success"\} [1-9]/m);
      expect(response.body).toMatch(/^auth_logins_total\{outcome="failure"\} [1-9]/m);
    });

    it('is not served on the API port', async () => {
      const response = await request(auth.url, 'GET', '/metrics', { undocumented: 'no longer on the API port' });

      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toMatch(/auth_logins_total/);
    });
  });

  describe('security headers', () => {
    it.each(['/health/live', '/users/me', '/nope'])(
      'are on every answer (%s), and X-Powered-By is not',
      async (path) => {
        const response = await request(auth.url, 'GET', path, {
          undocumented: path === '/nope' ? 'an unknown route, on purpose' : undefined,
        });

        expect(response.headers.get('x-powered-by')).toBeNull();
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
        expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
        expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(response.headers.get('x-frame-options')).toBe('DENY');
      },
    );
  });

  describe('an unknown route', () => {
    it('answers 404 as problem+json', async () => {
      const response = await request(auth.url, 'GET', '/nope', { undocumented: 'an unknown route, on purpose' });

      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });
});
