import { z } from 'zod';
import { replicationProblem } from '../kafka/topic-replication';
import { envFlag as flag, envNonNegativeInt, envPositiveInt as positiveInt } from './env-values';
import { checkKafkaSecurity, kafkaSecurityEnv } from './kafka-security-env';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates the environment once, at boot, into a typed object. The error names every bad
 * variable so that an operator can fix them all in one go.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  // The values are not echoed: a malformed DATABASE_URL or key would print its secret into the log.
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
}

/** Variables every PlayBall service reads, with local defaults so that `npm start` needs none. */
export function serviceEnv(defaults: { port: number; metricsPort: number; database: string; clientId: string }) {
  return z
    .object({
      HOST: z.string().min(1).default('127.0.0.1'),
      PORT: z.coerce.number().int().min(0).max(65535).default(defaults.port),
      // /metrics is served on a listener of its own, for the scraper only (MetricsServer); 0: any free port.
      METRICS_HOST: z.string().min(1).default('127.0.0.1'),
      METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(defaults.metricsPort),
      DATABASE_URL: z
        .url({ protocol: /^postgres(ql)?$/ })
        .default(`postgres://postgres@127.0.0.1:5432/${defaults.database}`),
      DATABASE_POOL_SIZE: positiveInt.default(10),
      // Statements running (or waiting on a lock) longer than this are cancelled; 0 turns it off.
      DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
      // Statement texts each connection prepares (named: parsed once, planned less); 0 for PgBouncer in transaction mode before 1.21.
      DATABASE_PREPARED_STATEMENTS: envNonNegativeInt.default(100),
      DB_MIGRATIONS_RUN: flag.default(true),
      KAFKA_BROKERS: z
        .string()
        .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'a comma-separated list of host:port')
        .default('127.0.0.1:9092')
        .transform((v) => v.split(',')),
      KAFKA_CLIENT_ID: z.string().min(1).default(defaults.clientId),
      // A namespace in front of every topic name: isolates test runs and environments sharing a broker.
      KAFKA_TOPIC_PREFIX: z
        .string()
        .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, dot, underscore and dash only')
        .default(''),
      KAFKA_TOPIC_PARTITIONS: positiveInt.default(6),
      // Unset: 1/1 with one broker in KAFKA_BROKERS, 3/2 with three or more (topicReplication).
      KAFKA_REPLICATION_FACTOR: positiveInt.optional(),
      KAFKA_MIN_INSYNC_REPLICAS: positiveInt.optional(),
      LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
      // auto: human-readable on a terminal, one JSON object per line anywhere else.
      LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
      // OpenTelemetry's own variables (the SDK reads the rest, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*...).
      // Tracing is off unless an exporter or an OTLP endpoint is named (tracesExporters).
      OTEL_SDK_DISABLED: flag.default(false),
      OTEL_TRACES_EXPORTER: z
        .string()
        .regex(
          /^\s*(otlp|console|none)\s*(,\s*(otlp|console|none)\s*)*$/,
          'a comma-separated list of otlp, console, none',
        )
        .optional(),
      OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
      OTEL_SERVICE_NAME: z.string().min(1).optional(),
    })
    .extend(kafkaSecurityEnv.shape)
    .superRefine((env, context) => {
      checkKafkaSecurity(env, context);
      if (env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
        context.addIssue({
          code: 'custom',
          path: ['METRICS_PORT'],
          message: 'must differ from PORT (metrics stay off the API)',
        });
      }
      const problem = replicationProblem(env);
      if (problem) context.addIssue({ code: 'custom', path: ['KAFKA_MIN_INSYNC_REPLICAS'], message: problem });
    });
}

export { envFlag, envNonNegativeInt, envPositiveInt, HOUR_MS } from './env-values';

export type ServiceEnv = z.output<ReturnType<typeof serviceEnv>>;
