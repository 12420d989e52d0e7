import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AppError } from '@playball/platform/http';
import { TokenService } from '../../tokens/token.service';
import { User } from '../user.entity';
import { AuthenticatedRequest } from './authenticated-request';
import { AuthError } from '../../errors';

/**
 * Lets a request through when it carries a valid access token of an account that still exists and
 * whose credentials have not changed since the token was issued. The account is looked up on every
 * request, so a deleted account's or a changed password's unexpired tokens stop working at once.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    try {
      const claims = await this.tokens.verify(bearerToken(request.headers.authorization));
      const user = await this.dataSource.getRepository(User).findOneBy({ id: claims.userId });
      if (!user || claims.userVersion < user.credentialsVersion) throw unauthenticated();
      request.user = user;
      return true;
    } catch (error) {
      // RFC 6750 §3: a 401 names the scheme the client should use.
      if (error instanceof AppError && error.code === UNAUTHENTICATED) {
        http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      }
      throw error;
    }
  }
}

function bearerToken(header: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header ?? '');
  if (!match) throw unauthenticated();
  return match[1];
}

const UNAUTHENTICATED = 'AUTH.UNAUTHENTICATED';

function unauthenticated(): AuthError {
  return new AuthError(UNAUTHENTICATED, 'A valid bearer token is required.');
}
