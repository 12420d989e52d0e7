/**
 * The relay thread's entry point (see RelayThread): its own database pool, Kafka client and
 * OutboxRelay, reporting metrics and logs to the main thread, which owns /metrics and the logger.
 */
import { Logger, LoggerService } from '@nestjs/common';
import { parentPort, workerData } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { poolOptions, QueryLogger } from '@playball/platform/database';
import { KafkaOutboxPublisher } from './kafka-publisher';
import { OutboxRelay } from './outbox-relay';
import { LogLevel, RelayCommand, RelayReport, RelayThreadSettings } from './relay-messages';

const port = parentPort!;
const settings = workerData as RelayThreadSettings;
const report = (message: RelayReport) => port.postMessage(message);

function forward(level: LogLevel) {
  return (message: unknown, context?: string) =>
    report({ kind: 'log', level, context: context ?? 'OutboxRelay', message: String(message) });
}

/** Every Nest Logger of this thread writes through the main thread's logger (its levels, its format). */
const forwardingLogger: LoggerService = {
  log: forward('log'),
  error: forward('error'),
  warn: forward('warn'),
  debug: forward('debug'),
  verbose: forward('verbose'),
  fatal: forward('fatal'),
};
Logger.overrideLogger(forwardingLogger);

async function main(): Promise<void> {
  const { relay: options } = settings;
  const db = await new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    logger: new QueryLogger(),
    extra: poolOptions(`outbox-relay:${options.service}`, {
      DATABASE_POOL_SIZE: settings.poolSize,
      DATABASE_STATEMENT_TIMEOUT_MS: settings.statementTimeoutMs,
    }),
  }).initialize();
  const publisher = new KafkaOutboxPublisher(settings);
  const relay = new OutboxRelay(db, publisher, options, {
    published: (count) => report({ kind: 'published', count }),
    failed: () => report({ kind: 'failed' }),
    backlog: (unpublished) => report({ kind: 'backlog', unpublished }),
    leadership: (leader) => report({ kind: 'leadership', leader }),
  });
  port.on('message', (command: RelayCommand) => {
    if (command.kind === 'stop') void stop();
  });
  const stop = async () => {
    await relay.stop();
    await publisher.close();
    await db.destroy();
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
