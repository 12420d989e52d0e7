import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiBearerAuth, ApiBody, ApiOperation } from '@nestjs/swagger';
import { ApiProblems, ApiPublic } from './api-problems.decorator';
import { OpenApiService, servedOpenApiDocument, setupOpenApi } from './openapi';

@ApiBearerAuth()
@ApiProblems('SERVICE.UNAVAILABLE')
@Controller('things')
class ThingsController {
  @Post()
  @ApiOperation({ summary: 'Make a thing' })
  @ApiBody({ schema: { type: 'object' } })
  @ApiProblems('THING.TAKEN', 'THING.LOCKED')
  make(@Body() body: unknown): unknown {
    return body;
  }

  @Get()
  @ApiOperation({ summary: 'List things' })
  list(): unknown[] {
    return [];
  }
}

@ApiPublic()
@Controller('open')
class OpenController {
  @Get()
  @ApiOperation({ summary: 'Open to all' })
  get(): string {
    return 'ok';
  }
}

@Controller('forgotten')
class ForgottenController {
  @Get()
  @ApiOperation({ summary: 'Says nothing about its security' })
  get(): string {
    return 'ok';
  }
}

const service: OpenApiService = {
  title: 'test',
  description: 'A test app.',
  server: 'http://127.0.0.1:1',
  tags: {},
  statusByCode: { 'THING.TAKEN': 409, 'THING.LOCKED': 409 },
  problemExtensions: { 'THING.LOCKED': { until: { type: 'string', example: '2026-01-01T00:00:00Z' } } },
};

async function documentOf(...controllers: (new (...args: never[]) => unknown)[]) {
  @Module({ controllers })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { preview: true, logger: false });
  try {
    setupOpenApi(app, service);
    return servedOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

describe('the OpenAPI document', () => {
  it("answers each declared code under its status, with the route's and the controller's codes added up", async () => {
    const { paths } = await documentOf(ThingsController, OpenController);
    type Schema = { properties: Record<string, { enum?: string[] }>; additionalProperties: boolean };
    const responses = paths['/things'].post!.responses as Record<
      string,
      { content: Record<string, { schema: Schema; examples: object }> }
    >;

    const conflict = responses['409'].content['application/problem+json'];
    expect(conflict.schema.properties.code.enum).toEqual(['THING.TAKEN', 'THING.LOCKED']);
    expect(conflict.schema.properties.until).toEqual({ type: 'string' });
    expect(conflict.schema.additionalProperties).toBe(false);
    expect(Object.keys(conflict.examples)).toEqual(['THING.TAKEN', 'THING.LOCKED']);
    expect(responses['503'].content['application/problem+json'].schema.properties.code.enum).toEqual([
      'SERVICE.UNAVAILABLE',
    ]);
    // The body's problems and the bearer's, which every such route can answer.
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '409', '413', '415', '503']);
    expect(Object.keys(paths['/things'].get!.responses).sort()).toEqual(['200', '401', '503']);
  });

  it('documents a public route with `security: []` and no problem it was not given', async () => {
    const { paths } = await documentOf(OpenController);

    expect(paths['/open'].get!.security).toEqual([]);
    expect(Object.keys(paths['/open'].get!.responses)).toEqual(['200']);
    expect(JSON.stringify(paths)).not.toContain('x-public');
  });

  it('refuses a route that is neither public nor behind the bearer', async () => {
    await expect(documentOf(ForgottenController)).rejects.toThrow(/GET \/forgotten: declare either/);
  });

  it('refuses a code the app has no status for', async () => {
    @ApiPublic()
    @Controller('typo')
    class TypoController {
      @Get()
      @ApiOperation({ summary: 'A typo' })
      @ApiProblems('THING.TAKNE')
      get(): string {
        return 'ok';
      }
    }

    await expect(documentOf(TypoController)).rejects.toThrow(/THING.TAKNE has no status/);
  });
});
