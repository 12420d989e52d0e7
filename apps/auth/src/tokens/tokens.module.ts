import { Global, Logger, Module } from '@nestjs/common';
import { AUTH_CONFIG, AuthConfig } from '../config';
import { developmentPrivateKey } from './development-key';
import { JwksController } from './jwks.controller';
import { SIGNING_KEYS, signingKeys } from './signing-keys';
import { TokenService } from './token.service';

/** Access tokens: the signing keys, issuing and verifying, and the JWKS endpoint. */
@Global()
@Module({
  controllers: [JwksController],
  providers: [
    {
      provide: SIGNING_KEYS,
      inject: [AUTH_CONFIG],
      useFactory: async (config: AuthConfig) =>
        signingKeys(
          config.JWT_PRIVATE_KEY || (await developmentPrivateKey(config.JWT_KEYS_DIR, new Logger(TokensModule.name))),
          config.JWT_VERIFICATION_KEYS,
        ),
    },
    TokenService,
  ],
  exports: [TokenService],
})
export class TokensModule {}
