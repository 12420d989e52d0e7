import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the OpenAPI document at /docs (UI) and /docs-json, built from the controllers and zod DTOs. */
export function setupOpenApi(app: INestApplication, service: { title: string; description: string }): void {
  const config = new DocumentBuilder()
    .setTitle(service.title)
    .setDescription(`${service.description} Errors are RFC 9457 problem+json with a stable \`code\`.`)
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
}
