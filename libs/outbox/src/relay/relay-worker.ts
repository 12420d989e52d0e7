/**
 * The relay thread's entry point (see RelayThread): its own database pool, Kafka client, logger and
 * OutboxRelay, reporting metrics and publish spans to the main thread, which owns /metrics and the tracer.
 */
import { Logger } from '@nestjs/common';
import { parentPort, workerData } from 'node:worker_threads';
import { nestLogger } from '@playball/platform/observability';
import { KafkaOutboxPublisher } from './kafka-publisher';
import { OutboxRelay } from './outbox-relay';
import { relayPool } from './relay-pool';
import { RelayCommand, RelayReport, RelayThreadSettings } from './relay-messages';

const port = parentPort!;
const settings = workerData as RelayThreadSettings;
const report = (message: RelayReport) => port.postMessage(message);

/**
 * Every Nest Logger of this thread writes JSON lines to stdout itself, synchronously (fd 1 is the
 * process's): a line per published event at debug level would otherwise cross to the main thread
 * and wait there behind HTTP work, as the publishing did before it had a thread (see RelayThread).
 */
Logger.overrideLogger(nestLogger(settings.log));

async function main(): Promise<void> {
  const db = relayPool(settings);
  const publisher = new KafkaOutboxPublisher(settings);
  const relay = new OutboxRelay(db, publisher, settings.relay, {
    published: (count) => report({ kind: 'published', count }),
    failed: () => report({ kind: 'failed' }),
    backlog: (unpublished) => report({ kind: 'backlog', unpublished }),
    leadership: (leader) => report({ kind: 'leadership', leader }),
    batchPublished: (batch) => report({ kind: 'batch', batch }),
  });
  port.on('message', (command: RelayCommand) => {
    if (command.kind === 'stop') void stop();
  });
  const stop = async () => {
    await relay.stop();
    await publisher.close();
    await db.end();
    report({ kind: 'stopped' });
    port.close();
  };
  relay.start();
  report({ kind: 'ready' });
}

main().catch((error: Error) => {
  new Logger('OutboxRelay').error(`the relay thread failed to start: ${error.stack ?? error.message}`);
  process.exit(1);
});
