import { DynamicModule, Global, Module } from '@nestjs/common';
import { AUTH_CONFIG, AuthConfig } from './config';

/** Makes the validated config injectable everywhere as AUTH_CONFIG. */
@Global()
@Module({})
export class AuthConfigModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthConfigModule,
      providers: [{ provide: AUTH_CONFIG, useValue: config }],
      exports: [AUTH_CONFIG],
    };
  }
}
