import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AUTH_CONFIG, AuthConfig } from '../config';

/** The limits AuthThrottlerGuard applies on the routes that take credentials (ThrottlerModule is global). */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AUTH_CONFIG],
      useFactory: (config: AuthConfig) => ({
        throttlers: [{ ttl: config.AUTH_THROTTLE_TTL_MS, limit: config.AUTH_THROTTLE_LIMIT }],
      }),
    }),
  ],
})
export class ThrottlingModule {}
