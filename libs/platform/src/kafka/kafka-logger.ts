import { Logger } from '@nestjs/common';
import type { logCreator, LogEntry } from 'kafkajs';
import { logLevel } from 'kafkajs';

/**
 * kafkajs prints this at every idempotent producer's connect when retries are capped. Our cap is
 * deliberate (see KafkaOutboxPublisher: the relay owns the retries and never reorders), so the
 * warning would be noise in every start-up and after every broker hiccup, drowning real warnings.
 */
const deliberateWarnings = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/** kafkajs logs through Nest's Logger, as Nest's own transport does, minus the warning above. */
export function kafkaLogCreator(context: string): logCreator {
  const logger = new Logger(context);
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...details } = log;
      if (level === logLevel.WARN && deliberateWarnings.has(message)) return;
      const text = `[${namespace}] ${message}${Object.keys(details).length > 0 ? ` ${JSON.stringify(details)}` : ''}`;
      if (level <= logLevel.ERROR) logger.error(text);
      else if (level === logLevel.WARN) logger.warn(text);
      else if (level === logLevel.INFO) logger.log(text);
      else logger.debug(text);
    };
}
