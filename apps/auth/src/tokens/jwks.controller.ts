import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { ApiPublic } from '@playball/platform/openapi';
import { SIGNING_KEYS, SigningKeys } from './signing-keys';

/** RS256 public keys, as signing-keys.ts publishes them: nothing else, nothing private. */
const jwksSchema = {
  type: 'object',
  required: ['keys'],
  additionalProperties: false,
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kty', 'n', 'e', 'kid', 'alg', 'use'],
        additionalProperties: false,
        properties: {
          kty: { type: 'string', enum: ['RSA'] },
          n: { type: 'string', description: 'Modulus, base64url.' },
          e: { type: 'string', description: 'Exponent, base64url.' },
          kid: { type: 'string', description: 'Tokens name their key in the `kid` header.' },
          alg: { type: 'string', enum: ['RS256'] },
          use: { type: 'string', enum: ['sig'] },
        },
      },
    },
  },
};

@ApiTags('tokens')
@ApiPublic()
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(SIGNING_KEYS) private readonly keys: SigningKeys) {}

  /** The public keys that verify access tokens; other services fetch and cache this. */
  @Get('jwks.json')
  // Verifiers may cache for five minutes: a rotated-in key is served that long before it signs anything.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The keys that verify access tokens (JWKS)' })
  @ApiOkResponse({
    description: 'JSON Web Key Set (RFC 7517); cacheable for five minutes.',
    content: {
      'application/json': {
        schema: jwksSchema,
        example: { keys: [{ kty: 'RSA', n: 'sXch...', e: 'AQAB', kid: 'k1', alg: 'RS256', use: 'sig' }] },
      },
    },
  })
  jwks(): JSONWebKeySet {
    return this.keys.jwks;
  }
}
