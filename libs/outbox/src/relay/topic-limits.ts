import type { Logger } from '@nestjs/common';
import { ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { sendBytesFor } from './partition-records';

/** What the relay needs to know of a topic before it sends to it. */
export interface TopicLimits {
  partitions: number;
  /** The most record bytes one send() to it carries (sendBytesFor its `max.message.bytes`). */
  sendBytes: number;
}

/**
 * Reads each topic's partition count and `max.message.bytes` (one metadata request, one
 * DescribeConfigs). A broker that refuses DescribeConfigs (ACLs) does not stop publishing: the
 * topics then get the default's share (sendBytesFor(undefined)) and a warning says so, as
 * ensureTopics does for the configs it cannot check.
 */
export async function readTopicLimits(
  admin: Pick<Admin, 'fetchTopicMetadata' | 'describeConfigs'>,
  topics: string[],
  logger: Pick<Logger, 'warn'>,
): Promise<Map<string, TopicLimits>> {
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
  const maxMessageBytes = new Map<string, number>();
  try {
    const { resources } = await admin.describeConfigs({
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
      includeSynonyms: false,
    });
    for (const { resourceName, configEntries } of resources) {
      const max = configEntries.find((c) => c.configName === 'max.message.bytes')?.configValue;
      if (max !== undefined) maxMessageBytes.set(resourceName, Number(max));
    }
  } catch (error) {
    logger.warn(`cannot read max.message.bytes of ${topics.join(', ')}: ${(error as Error).message}`);
  }
  return new Map(
    metadata.map(({ name, partitions }) => [
      name,
      { partitions: partitions.length, sendBytes: sendBytesFor(maxMessageBytes.get(name)) },
    ]),
  );
}
