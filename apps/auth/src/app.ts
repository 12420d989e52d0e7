import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { applyTrustProxy, configureHttp } from '@playball/platform/http';
import { observability } from '@playball/platform/observability';
import { setupOpenApi } from '@playball/platform/openapi';
import { AppModule } from './app.module';
import { AuthConfig } from './config';
import { statusByCode } from './errors';

/**
 * Builds the auth app from a validated config; main.ts and the tests both start it this way, and
 * scripts/openapi.ts with `preview` (nothing instantiated, so no database or broker) for its document.
 */
export async function createAuthApp(
  config: AuthConfig,
  { preview = false }: Pick<NestApplicationOptions, 'preview'> = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview,
    bodyParser: false,
    logger: await observability('auth', config),
  });
  applyTrustProxy(app, config.TRUST_PROXY);
  configureHttp(app, statusByCode);
  setupOpenApi(app, {
    title: 'PlayBall auth',
    description: 'Accounts and access tokens.',
    server: 'http://127.0.0.1:3001',
    tags: {
      auth: 'Registering and logging in: the routes that take credentials (rate limited per client).',
      users: 'The caller’s own account.',
      tokens: 'The public keys that verify access tokens.',
      service: 'Health, metrics and the event contract, for operators and other services.',
    },
    statusByCode,
  });
  return app;
}
