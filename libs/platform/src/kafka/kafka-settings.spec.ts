import { readFileSync } from 'node:fs';
import { kafkaClientConfig } from './kafka-settings';

const base = { KAFKA_BROKERS: ['127.0.0.1:9092'], KAFKA_CLIENT_ID: 'auth' };

describe('kafkaClientConfig', () => {
  it('adds neither SASL nor TLS for the plain local broker', () => {
    const config = kafkaClientConfig({ ...base, KAFKA_SASL_MECHANISM: 'none', KAFKA_SSL: false }, 'outbox');
    expect(config.sasl).toBeUndefined();
    expect(config.ssl).toBeUndefined();
  });

  it('authenticates with SCRAM-SHA-512 and verifies the brokers against the named CA', () => {
    const config = kafkaClientConfig(
      {
        ...base,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'auth',
        KAFKA_SASL_PASSWORD: 'secret',
        KAFKA_SSL: true,
        KAFKA_SSL_CA_FILE: __filename,
      },
      'outbox',
    );
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'auth', password: 'secret' });
    expect(config.ssl).toEqual({ ca: [readFileSync(__filename, 'utf8')] });
  });

  it("trusts the system's CAs when TLS names none", () => {
    expect(kafkaClientConfig({ ...base, KAFKA_SSL: true }, 'outbox').ssl).toBe(true);
  });
});
