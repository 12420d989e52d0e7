import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { counter } from '@playball/platform/observability';
import { TokenService } from '../../tokens/token.service';
import { PasswordHasher } from '../password-hasher';
import { User } from '../user.entity';
import { AccessTokenResponse, LoginBody } from './login.dto';
import { AuthError } from '../../errors';

const logins = counter('auth_logins_total', 'Login attempts by outcome', ['outcome']);

@Injectable()
export class LoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  /**
   * One answer for an unknown email and a wrong password, in about the same time (an unknown email
   * is verified against a dummy hash), so a login never tells whether an account exists.
   */
  async login(input: LoginBody): Promise<AccessTokenResponse> {
    const user = await this.findByEmail(input.email);
    const valid = user
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyNothing(input.password);
    if (!user || !valid) {
      logins.inc({ outcome: 'failure' });
      throw new AuthError('AUTH.INVALID_CREDENTIALS', 'The email or password is incorrect.');
    }
    logins.inc({ outcome: 'success' });
    return { accessToken: await this.tokens.issue(user), tokenType: 'Bearer', expiresIn: this.tokens.ttlSeconds };
  }

  /** Case-insensitive, through the `lower(email)` unique index. */
  private findByEmail(email: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .where('lower(user.email) = lower(:email)', { email })
      .getOne();
  }
}
