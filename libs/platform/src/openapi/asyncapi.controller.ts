import { Controller, Get } from '@nestjs/common';
import { asyncApiDocument } from '@playball/events';

/**
 * The event contract as an AsyncAPI 3.0 document, so that a team writing a new consumer reads the
 * topics, keys, headers and payload schemas from a running service instead of from this repo.
 */
@Controller('asyncapi.json')
export class AsyncApiController {
  private readonly document = asyncApiDocument();

  @Get()
  get(): Record<string, unknown> {
    return this.document;
  }
}
