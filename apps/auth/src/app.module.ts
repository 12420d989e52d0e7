import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topics } from '@playball/events';
import { OutboxModule, OutboxRelayService } from '@playball/outbox';
import { AsyncApiController } from '@playball/platform/openapi';
import { HealthController, healthChecksProvider } from '@playball/platform/health';
import { MetricsController } from '@playball/platform/observability';
import { RateLimitModule } from '@playball/platform/throttling';
import { accountOf } from './users/authentication/account-of';
import { AuthConfig } from './config';
import { AuthConfigModule } from './config.module';
import { authDataSourceOptions } from './database/data-source';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AuthConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...authDataSourceOptions(config.DATABASE_URL, config),
          migrationsRun: config.DB_MIGRATIONS_RUN,
        }),
        OutboxModule.forService('auth', [Topics.user], config),
        RateLimitModule.forRoot(
          {
            ttlMs: config.AUTH_THROTTLE_TTL_MS,
            perClient: config.AUTH_THROTTLE_LIMIT,
            perAccount: config.AUTH_THROTTLE_ACCOUNT_LIMIT,
          },
          accountOf,
        ),
        TokensModule,
        UsersModule,
      ],
      controllers: [HealthController, MetricsController, AsyncApiController],
      providers: [healthChecksProvider(config, [OutboxRelayService])],
    };
  }
}
