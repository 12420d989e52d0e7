import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topics } from '@playball/events';
import { OutboxModule, OutboxRelayService } from '@playball/outbox';
import { AsyncApiController } from '@playball/platform/openapi';
import { HealthController, healthChecksProvider } from '@playball/platform/health';
import { MetricsController } from '@playball/platform/observability';
import { AuthConfig } from './config';
import { AuthConfigModule } from './config.module';
import { authDataSourceOptions } from './database/data-source';
import { ThrottlingModule } from './throttling/throttling.module';
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
        ThrottlingModule,
        TokensModule,
        UsersModule,
      ],
      controllers: [HealthController, MetricsController, AsyncApiController],
      providers: [healthChecksProvider(config, [OutboxRelayService])],
    };
  }
}
