import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InboxConsumerStatus, InboxKafkaServer } from '@playball/inbox';
import { applyTrustProxy, configureHttp, logLevels } from '@playball/platform/http';
import { setupOpenApi } from '@playball/platform/openapi';
import { AppModule } from './app.module';
import { GroupManagementConfig } from './config';
import { statusByCode } from './errors';

/**
 * Builds the group-management app: HTTP plus the Kafka consumer of auth's user events, in one
 * process. Call `startAllMicroservices()` before `listen()`; it does not wait for the broker, and
 * `/health` is down until the consumer has joined its group.
 */
export async function createGroupManagementApp(config: GroupManagementConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    bodyParser: false,
    logger: logLevels(config.LOG_LEVEL),
  });
  applyTrustProxy(app, config.TRUST_PROXY);
  configureHttp(app, statusByCode);
  setupOpenApi(app, {
    title: 'PlayBall group-management',
    description: 'Groups and their members, over a view of auth’s users kept by events.',
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
