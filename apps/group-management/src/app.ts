import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InboxKafkaServer } from '@playball/inbox';
import { configureHttp, logLevels } from '@playball/platform';
import { AppModule } from './app.module';
import { GroupManagementConfig } from './config';
import { statusByCode } from './errors';

/**
 * Builds the group-management app: HTTP plus the Kafka consumer of auth's user events, in one
 * process. Call `startAllMicroservices()` before `listen()`.
 */
export async function createGroupManagementApp(config: GroupManagementConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    bodyParser: false,
    logger: logLevels(config.LOG_LEVEL),
  });
  configureHttp(app, statusByCode);
  app.connectMicroservice(
    {
      strategy: new InboxKafkaServer({
        kafka: config,
        consumerGroup: config.KAFKA_CONSUMER_GROUP,
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        partitions: config.KAFKA_TOPIC_PARTITIONS,
      }),
    },
    { inheritAppConfig: true },
  );
  return app;
}
