import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { applyTrustProxy, configureHttp, logLevels } from '@playball/platform/http';
import { setupOpenApi } from '@playball/platform/openapi';
import { AppModule } from './app.module';
import { AuthConfig } from './config';
import { statusByCode } from './errors';

/** Builds the auth app from a validated config; main.ts and the tests both start it this way. */
export async function createAuthApp(config: AuthConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    bodyParser: false,
    logger: logLevels(config.LOG_LEVEL),
  });
  applyTrustProxy(app, config.TRUST_PROXY);
  configureHttp(app, statusByCode);
  setupOpenApi(app, { title: 'PlayBall auth', description: 'Accounts and access tokens.' });
  return app;
}
