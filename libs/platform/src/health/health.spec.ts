import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { HealthCheck, HealthCheckResult, HealthController } from './health';

function check(name: string, result: HealthCheckResult | Error, critical = false): HealthCheck {
  return {
    name,
    critical,
    check: () => (result instanceof Error ? Promise.reject(result) : Promise.resolve(result)),
  };
}

async function answer(checks: HealthCheck[]) {
  const sent: { status?: number; body?: unknown } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  } as unknown as Response;
  await new HealthController(checks).health(response);
  return sent;
}

describe('GET /health', () => {
  it('is up (200) when every check is up', async () => {
    const sent = await answer([check('database', { status: 'up' }, true), check('kafka', { status: 'up' })]);
    expect(sent).toEqual({
      status: 200,
      body: { status: 'up', checks: { database: { status: 'up' }, kafka: { status: 'up' } } },
    });
  });

  it('is degraded but ready (200) when only a non-critical check fails', async () => {
    const sent = await answer([check('database', { status: 'up' }, true), check('kafka', new Error('ECONNREFUSED'))]);
    expect(sent).toEqual({
      status: 200,
      body: {
        status: 'degraded',
        checks: { database: { status: 'up' }, kafka: { status: 'down', reason: 'unavailable' } },
      },
    });
  });

  it('never echoes a driver message (hosts, users): a fixed reason in the answer, the message in the log', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const secret = 'password authentication failed for user "playball_admin" at db-7.internal:5432';
    try {
      const sent = await answer([check('database', new Error(secret), true)]);

      expect(sent).toEqual({
        status: 503,
        body: { status: 'down', checks: { database: { status: 'down', reason: 'unavailable' } } },
      });
      expect(JSON.stringify(sent.body)).not.toMatch(/playball_admin|db-7|5432/);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(secret));
    } finally {
      warn.mockRestore();
    }
  });

  it('is down (503) when a critical check fails', async () => {
    const sent = await answer([check('database', { status: 'down' }, true), check('kafka', { status: 'up' })]);
    expect(sent).toMatchObject({ status: 503, body: { status: 'down' } });
  });

  it('answers live (200) whatever the checks say', () => {
    expect(new HealthController([check('database', new Error('down'), true)]).live()).toEqual({ status: 'up' });
  });
});
