import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';
import { ApiPublic } from '../openapi/api-problems.decorator';

collectDefaultMetrics();

/** Prometheus exposition of the process's default metrics and every metric the libs register. */
@ApiTags('service')
@ApiPublic()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The Prometheus text exposition format (version 0.0.4).',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP outbox_published_total Outbox rows published to Kafka\n# TYPE outbox_published_total counter\noutbox_published_total{service="auth"} 42\n',
      },
    },
  })
  metrics(): Promise<string> {
    return register.metrics();
  }
}
