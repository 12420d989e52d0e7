import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { applyTrustProxy, configureHttp } from '@playball/platform/http';
import { observability } from '@playball/platform/observability';
import { setupOpenApi } from '@playball/platform/openapi';
import { AppModule } from './app.module';
import { AuthConfig } from './config';
import { statusByCode } from './errors';

/** Builds the auth app from a validated config; main.ts and the tests both start it this way. */
export async function createAuthApp(config: AuthConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    bodyParser: false,
    logger: await observability('auth', config),
  });
  applyTrustProxy(app, config.TRUST_PROXY);
  configureHttp(app, statusByCode);
  setupOpenApi(app, { title: 'PlayBall auth', description: 'Accounts and access tokens.' });
  return app;
}
