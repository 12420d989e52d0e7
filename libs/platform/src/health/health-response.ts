import { z } from 'zod';

/** What one check reports; the members besides `status` are each check's own details. */
const checkResult = z.object({
  status: z.enum(['up', 'down']),
  error: z.string().optional().describe('Why the check failed, when it threw or timed out.'),
  reason: z.string().optional().describe('Why the consumer is not running.'),
  brokers: z.number().int().optional().describe('kafka: brokers in the cluster.'),
  leader: z.boolean().optional().describe('outbox: whether this instance holds the relay leadership.'),
  unpublished: z.number().int().optional().describe('outbox: rows not yet published.'),
  oldestAgeSeconds: z.number().nullable().optional().describe('outbox: age of the oldest unpublished row.'),
});

/** `GET /health`: the whole and each check by name. */
export const healthResponse = z
  .object({
    status: z.enum(['up', 'degraded', 'down']),
    checks: z.record(z.string(), checkResult),
  })
  .meta({
    example: {
      status: 'up',
      checks: {
        database: { status: 'up' },
        kafka: { status: 'up', brokers: 1 },
        outbox: { status: 'up', leader: true, unpublished: 0, oldestAgeSeconds: null },
      },
    },
  });

export const liveResponse = z.object({ status: z.literal('up') }).meta({ example: { status: 'up' } });
