import { z } from 'zod';
import { ConfigError, parseEnv, serviceEnv } from './parse-env';

describe('parseEnv', () => {
  const schema = serviceEnv({ port: 3001, database: 'playball_auth', clientId: 'auth' });

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
    });
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
});
