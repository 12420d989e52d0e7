import { Controller, Get, Inject, Logger, OnModuleDestroy, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiPublic } from '../openapi/api-problems.decorator';
import { openApiSchema } from '../openapi/openapi-schema';
import { healthResponse, liveResponse } from './health-response';

export interface HealthCheckResult {
  status: 'up' | 'down';
  [detail: string]: unknown;
}

/** One dependency, reported by `GET /health`. */
export interface HealthCheck {
  readonly name: string;
  /**
   * True for a dependency without which the service cannot answer requests (its database): down,
   * it makes the instance not ready (503). Others (the broker, the relay, the consumer) only make
   * it `degraded` (200): requests still work, events wait in the outbox or on the topic, and taking
   * every instance out of service during a broker outage would turn that into a full outage.
   */
  readonly critical?: boolean;
  check(): Promise<HealthCheckResult>;
  /** Releases connections the check holds open, at shutdown. */
  close?(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

/** A check that takes longer than this is reported down: a health probe must answer quickly. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Why a check is down, as `/health` says it: a fixed word, never the error's text. A driver's
 * message names hosts, ports, users and databases (`password authentication failed for user
 * "postgres"`, `connect ECONNREFUSED 10.0.3.7:5432`), and `/health` answers anyone who can reach
 * the port; the message goes to the log instead.
 */
export type DownReason = 'unavailable' | 'timeout';

const healthSchema = openApiSchema(healthResponse, 'output');
const downExample = {
  status: 'down',
  checks: {
    database: { status: 'down', reason: 'timeout' },
    kafka: { status: 'up', brokers: 1 },
    outbox: { status: 'down', reason: 'unavailable' },
  },
};

@ApiTags('service')
@ApiPublic()
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly logger = new Logger(HealthController.name);

  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.checks.map((c) => c.close?.()));
  }

  /**
   * Liveness: the process serves HTTP. Kept apart from readiness below so that an orchestrator
   * does not restart every instance while the broker or the database is down: restarts cannot fix
   * that, and the apps recover by themselves once it is back.
   */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  @ApiOkResponse({
    description: 'Always `up` while the process answers.',
    schema: openApiSchema(liveResponse, 'output'),
  })
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  /**
   * Readiness: `up` when every dependency answers, `degraded` (still 200) when only non-critical
   * ones do not, `down` (503) when a critical one does not. `checks` names which.
   */
  @Get()
  @ApiOperation({ summary: 'Readiness: each dependency and the whole' })
  @ApiOkResponse({ description: '`up`, or `degraded` (a non-critical check is down).', schema: healthSchema })
  @ApiServiceUnavailableResponse({
    description: '`down`: a critical check (the database) is down.',
    content: { 'application/json': { schema: healthSchema, example: downExample } },
  })
  async health(@Res() response: Response): Promise<void> {
    const results = await Promise.all(this.checks.map((c) => runCheck(c, this.logger)));
    const checks = Object.fromEntries(this.checks.map((c, i) => [c.name, results[i]]));
    const failing = this.checks.filter((_, i) => results[i].status !== 'up');
    const status = failing.length === 0 ? 'up' : failing.some((c) => c.critical) ? 'down' : 'degraded';
    response.status(status === 'down' ? 503 : 200).json({ status, checks });
  }
}

async function runCheck(check: HealthCheck, logger: Logger): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(() => {
      logger.warn(`health check ${check.name}: no answer within ${CHECK_TIMEOUT_MS} ms`);
      resolve({ status: 'down', reason: 'timeout' satisfies DownReason });
    }, CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check(), timeout]);
  } catch (error) {
    logger.warn(`health check ${check.name} failed: ${(error as Error).message}`);
    return { status: 'down', reason: 'unavailable' satisfies DownReason };
  } finally {
    clearTimeout(timer);
  }
}
