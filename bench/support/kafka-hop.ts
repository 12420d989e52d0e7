import { Producer } from 'kafkajs';

import { deleteTopics, kafka, uniqueSuffix } from './infra';
import { LagTracker } from './lag';
import { machineBusySeconds } from './process-cpu';
import { runAtRate, RateResult } from './rate';
import { watchTopic } from './watchers';
import { topicName, Topics } from '@playball/events';

/**
 * The floor under any end-to-end lag: one record produced (acks=all) and seen by a bare kafkajs
 * consumer, at the same rate, on the same broker; no database, no outbox, no inbox. `busySeconds`
 * is the machine's CPU from the first send to the last record seen.
 */
export async function kafkaHop(
  rate: number,
  seconds: number,
  drainMs: number,
): Promise<{ tracker: LagTracker; rate: RateResult; busySeconds: number }> {
  const prefix = `bench-hop-${uniqueSuffix()}.`;
  const topic = topicName(Topics.user.name, prefix);
  const adminClient = kafka.admin();
  await adminClient.connect();
  await adminClient.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await adminClient.disconnect();
  const tracker = new LagTracker();
  const stopWatching = await watchTopic(prefix, tracker.seen);
  const producer: Producer = kafka.producer();
  await producer.connect();
  try {
    const busy = machineBusySeconds();
    const started = performance.now();
    tracker.setWindow(started, started + seconds * 1000);
    const result = await runAtRate(rate, seconds, 256, async (i) => {
      const key = `hop-${i % 200}`;
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key, value: '{}', headers: { ce_sequence: String(i) } }],
      });
      tracker.committed(key, i);
    });
    await tracker.drain(drainMs);
    return { tracker, rate: result, busySeconds: machineBusySeconds() - busy };
  } finally {
    await producer.disconnect();
    await stopWatching();
    await deleteTopics([topic]);
  }
}
