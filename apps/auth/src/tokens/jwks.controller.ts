import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { SIGNING_KEYS, SigningKeys } from './signing-keys';

@ApiTags('tokens')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(SIGNING_KEYS) private readonly keys: SigningKeys) {}

  /** The public keys that verify access tokens; other services fetch and cache this. */
  @Get('jwks.json')
  // Verifiers may cache for five minutes: a rotated-in key is served that long before it signs anything.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({ description: 'JSON Web Key Set (RFC 7517)' })
  jwks(): JSONWebKeySet {
    return this.keys.jwks;
  }
}
