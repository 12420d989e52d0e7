import { ServiceEnv } from '../config/parse-env';
import { nestLogger, PinoNestLogger } from './logging/logger';
import { configureTracing } from './tracing/configure-tracing';

/** An app's logger, and tracing started when its environment asks for it (both apps, one way). */
export async function observability(service: string, env: ServiceEnv): Promise<PinoNestLogger> {
  await configureTracing(service, env);
  return nestLogger({ service, level: env.LOG_LEVEL, format: env.LOG_FORMAT });
}
