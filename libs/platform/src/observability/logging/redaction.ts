/**
 * Keys whose values never reach a log, wherever they sit in a logged object (pino redaction paths,
 * top level and one level down: request bodies, headers, kafkajs details). Logged text is not
 * parsed: nothing here writes a body or a header into a message; test/e2e/logs.e2e.ts greps a whole
 * run's logs for the emails, passwords and tokens it used.
 */
const secretKeys = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'email',
  'token',
  'accessToken',
  'authorization',
  'cookie',
  'JWT_PRIVATE_KEY',
  'KAFKA_SASL_PASSWORD',
];

export const redactPaths = secretKeys.flatMap((key) => [key, `*.${key}`]);

export const REDACTED = '[redacted]';
