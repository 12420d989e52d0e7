import { z } from 'zod';
import { ConfigError, parseEnv, serviceEnv } from './parse-env';

describe('parseEnv', () => {
  const schema = serviceEnv({ port: 3001, metricsPort: 9464, database: 'playball_auth', clientId: 'auth' });

  it('fills local defaults so that a bare environment boots', () => {
    const config = parseEnv(schema, {});
    expect(config).toMatchObject({
      PORT: 3001,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/playball_auth',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      DB_MIGRATIONS_RUN: true,
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
      DATABASE_PREPARED_STATEMENTS: 100,
    });
  });

  it('takes DATABASE_PREPARED_STATEMENTS=0 (behind an older PgBouncer), and refuses a negative one', () => {
    expect(parseEnv(schema, { DATABASE_PREPARED_STATEMENTS: '0' }).DATABASE_PREPARED_STATEMENTS).toBe(0);
    expect(() => parseEnv(schema, { DATABASE_PREPARED_STATEMENTS: '-1' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('serves metrics on their own port, on loopback unless told otherwise', () => {
    expect(parseEnv(schema, {})).toMatchObject({ METRICS_HOST: '127.0.0.1', METRICS_PORT: 9464 });
    expect(parseEnv(schema, { METRICS_PORT: '0', PORT: '0' }).METRICS_PORT).toBe(0);
  });

  it.each([
    ['the API port', { PORT: '3001', METRICS_PORT: '3001' }, /METRICS_PORT: must differ from PORT/],
    ['not a port', { METRICS_PORT: '70000' }, /METRICS_PORT/],
    ['not a number', { METRICS_PORT: 'nine' }, /METRICS_PORT/],
  ])('refuses a METRICS_PORT that is %s', (_, env, message) => {
    expect(() => parseEnv(schema, env)).toThrow(message);
  });

  it('names every bad variable in one error', () => {
    const parse = () => parseEnv(schema, { PORT: 'eighty', KAFKA_BROKERS: 'no port here' });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/PORT/);
    expect(parse).toThrow(/KAFKA_BROKERS: a comma-separated list of host:port/);
  });

  it('refuses more in-sync replicas than copies, naming the variable', () => {
    const parse = () => parseEnv(schema, { KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' });
    expect(parse).toThrow(/KAFKA_MIN_INSYNC_REPLICAS: 3 in-sync replicas cannot be had from 2 copies/);
  });

  it('accepts an app-specific extension of the shared variables', () => {
    const extended = schema.extend({ JWT_TTL_SECONDS: z.coerce.number().int().positive().default(900) });
    expect(parseEnv(extended, { JWT_TTL_SECONDS: '60' }).JWT_TTL_SECONDS).toBe(60);
  });

  describe('Kafka security', () => {
    const secret = 'correct horse battery staple';

    it('is off by default: the plain local broker', () => {
      expect(parseEnv(schema, {})).toMatchObject({ KAFKA_SASL_MECHANISM: 'none', KAFKA_SSL: false });
    });

    it('takes SCRAM-SHA-512 credentials and TLS with a CA file', () => {
      const config = parseEnv(schema, {
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'auth',
        KAFKA_SASL_PASSWORD: secret,
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: __filename,
      });
      expect(config).toMatchObject({ KAFKA_SASL_USERNAME: 'auth', KAFKA_SSL: true, KAFKA_SSL_CA_FILE: __filename });
    });

    it('refuses SCRAM without credentials, naming both variables', () => {
      const parse = () => parseEnv(schema, { KAFKA_SASL_MECHANISM: 'scram-sha-512' });
      expect(parse).toThrow(/KAFKA_SASL_USERNAME: required when KAFKA_SASL_MECHANISM=scram-sha-512/);
      expect(parse).toThrow(/KAFKA_SASL_PASSWORD: required/);
    });

    it('refuses credentials without a mechanism, which would connect unauthenticated, and never echoes the password', () => {
      const parse = () => parseEnv(schema, { KAFKA_SASL_USERNAME: 'auth', KAFKA_SASL_PASSWORD: secret });
      expect(parse).toThrow(/KAFKA_SASL_PASSWORD: set KAFKA_SASL_MECHANISM=scram-sha-512 to use it/);
      expect(parse).not.toThrow(new RegExp(secret));
    });

    it.each([
      ['an unknown mechanism', { KAFKA_SASL_MECHANISM: 'plain' }, /KAFKA_SASL_MECHANISM/],
      [
        'a CA file that cannot be read',
        { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
        /KAFKA_SSL_CA_FILE: names no readable file/,
      ],
      ['a CA file without TLS', { KAFKA_SSL_CA_FILE: __filename }, /KAFKA_SSL_CA_FILE: set KAFKA_SSL=true/],
      ['a TLS flag that is not a boolean', { KAFKA_SSL: 'yes' }, /KAFKA_SSL/],
    ])('refuses %s', (_, env, message) => {
      expect(() => parseEnv(schema, env)).toThrow(message);
    });
  });
});
