import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-logger';

describe('kafkaLogCreator', () => {
  const log = kafkaLogCreator('kafkajs test')(logLevel.WARN);
  const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({
    namespace: 'Producer',
    level,
    label: 'WARN',
    log: { timestamp: '2026-11-26T00:00:00.000Z', logger: 'kafkajs', message, ...extra },
  });

  afterEach(() => jest.restoreAllMocks());

  it('drops the idempotent-producer retries warning the relay causes on purpose', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log(entry(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'));
    expect(warn).not.toHaveBeenCalled();
  });

  it('passes every other entry to Nest at its level, with its details', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    log(entry(logLevel.WARN, 'Connection timeout', { broker: '127.0.0.1:9092' }));
    log(entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded'));
    expect(warn).toHaveBeenCalledWith('[Producer] Connection timeout {"broker":"127.0.0.1:9092"}');
    expect(error).toHaveBeenCalledWith('[Producer] Crash: KafkaJSNumberOfRetriesExceeded');
  });
});
