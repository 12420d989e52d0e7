import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { PostgresRateLimitStorage } from './rate-limit.storage';

export interface RateLimits {
  /** Length of a counting window. */
  ttlMs: number;
  /** Requests per client address per window, on each guarded route. */
  perClient: number;
  /** Requests per account per window, on each guarded route. */
  perAccount: number;
}

/** Names the account a request acts on (a user id, a login's email), or undefined when there is none. */
export type AccountOf = (request: Request) => string | undefined;

/**
 * The limits RateLimitGuard applies, counted in the app's database (PostgresRateLimitStorage) so
 * that every instance shares them. Two counts per route: the client's address (`request.ip`, see
 * TRUST_PROXY) and the account, so that neither many addresses against one account nor one
 * address against many accounts gets past a limit.
 */
@Module({})
export class RateLimitModule {
  static forRoot(limits: RateLimits, accountOf: AccountOf): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            storage: new PostgresRateLimitStorage(dataSource),
            throttlers: [
              { name: 'client', ttl: limits.ttlMs, limit: limits.perClient },
              {
                name: 'account',
                ttl: limits.ttlMs,
                limit: limits.perAccount,
                skipIf: (context) => accountOf(context.switchToHttp().getRequest<Request>()) === undefined,
                getTracker: (request) => accountOf(request as Request) ?? '',
              },
            ],
          }),
        }),
      ],
    };
  }
}
