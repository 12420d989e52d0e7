import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { asyncApiDocument } from '@playball/events';
import { ApiPublic } from './api-problems.decorator';

/** An AsyncAPI 3.0 document; its parts are specified by AsyncAPI, so they are not repeated here. */
const asyncApiSchema = {
  type: 'object',
  required: ['asyncapi', 'info', 'channels', 'operations', 'components'],
  additionalProperties: false,
  properties: {
    asyncapi: { type: 'string', enum: ['3.0.0'] },
    info: { type: 'object' },
    defaultContentType: { type: 'string' },
    channels: { type: 'object' },
    operations: { type: 'object' },
    components: { type: 'object' },
  },
};

/**
 * The event contract as an AsyncAPI 3.0 document, so that a team writing a new consumer reads the
 * topics, keys, headers and payload schemas from a running service instead of from this repo.
 */
@ApiTags('service')
@ApiPublic()
@Controller('asyncapi.json')
export class AsyncApiController {
  private readonly document = asyncApiDocument();

  @Get()
  @ApiOperation({ summary: 'The event contract (AsyncAPI 3.0)' })
  @ApiOkResponse({
    description: 'The topics, their keys, CloudEvents headers and payload schemas.',
    content: {
      'application/json': {
        schema: asyncApiSchema,
        example: {
          asyncapi: '3.0.0',
          info: { title: 'PlayBall integration events', version: '1.0.0' },
          defaultContentType: 'application/json',
          channels: { user: { address: 'auth.user.v1' } },
          operations: {},
          components: { messages: {} },
        },
      },
    },
  })
  get(): Record<string, unknown> {
    return this.document;
  }
}
