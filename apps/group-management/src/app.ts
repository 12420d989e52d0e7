import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InboxConsumerStatus, InboxKafkaServer } from '@playball/inbox';
import { applyTrustProxy, configureHttp } from '@playball/platform/http';
import { observability } from '@playball/platform/observability';
import { setupOpenApi } from '@playball/platform/openapi';
import { AppModule } from './app.module';
import { GroupManagementConfig } from './config';
import { problemExtensions, statusByCode } from './errors';

/**
 * Builds the group-management app: HTTP plus the Kafka consumer of auth's user events, in one
 * process. Call `startAllMicroservices()` before `listen()`; it does not wait for the broker, and
 * `/health` is down until the consumer has joined its group. With `preview`, nothing is instantiated
 * (no database or broker): scripts/openapi.ts reads the document from such an app.
 */
export async function createGroupManagementApp(
  config: GroupManagementConfig,
  { preview = false }: Pick<NestApplicationOptions, 'preview'> = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    preview,
    bodyParser: false,
    logger: await observability('group-management', config),
  });
  applyTrustProxy(app, config.TRUST_PROXY);
  configureHttp(app, statusByCode);
  setupOpenApi(app, {
    title: 'PlayBall group-management',
    description: 'Groups and their members, over a view of auth’s users kept by events.',
    server: 'http://127.0.0.1:3002',
    tags: {
      groups: 'Groups and their members; a token from auth, and a version in If-Match to change one.',
      service: 'Health, metrics and the event contract, for operators and other services.',
    },
    statusByCode,
    problemExtensions,
  });
  app.connectMicroservice(
    {
      strategy: new InboxKafkaServer({
        kafka: config,
        consumerGroup: config.KAFKA_CONSUMER_GROUP,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        partitions: config.KAFKA_TOPIC_PARTITIONS,
        status: app.get(InboxConsumerStatus),
      }),
    },
    { inheritAppConfig: true },
  );
  return app;
}
