import { AppError } from './app-error';
import { PlatformError, platformStatusByCode } from './errors';
import { ProblemFilter } from './problem.filter';

describe('the platform error codes', () => {
  it('answers each with its mapped status, a client error or 503, never 500', () => {
    const filter = new ProblemFilter();
    for (const [code, status] of Object.entries(platformStatusByCode)) {
      const problem = filter.toProblem(new PlatformError(code as keyof typeof platformStatusByCode, 'x'));
      expect({ code, status: problem.status }).toEqual({ code, status });
      expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
    }
  });

  it("holds no app's code: CONSISTENCY.PENDING is mapped by group-management", () => {
    expect(Object.keys(platformStatusByCode)).not.toContain('CONSISTENCY.PENDING');
    expect(new ProblemFilter().toProblem(new AppError<'CONSISTENCY.PENDING'>('CONSISTENCY.PENDING', 'x')).status).toBe(
      500,
    );
  });

  it('maps RATE_LIMITED, which the shared throttling raises in both apps', () => {
    expect(new ProblemFilter().toProblem(new PlatformError('RATE_LIMITED', 'x')).status).toBe(429);
  });

  it('does not compile a typo or a bare AppError (tsc checks the expect-errors)', () => {
    // @ts-expect-error -- not a platform code
    expect(new PlatformError('REQUEST.INVALD', 'x').code).toBe('REQUEST.INVALD');
    // @ts-expect-error -- AppError without its codes takes none
    expect(new AppError('REQUEST.INVALID', 'x').code).toBe('REQUEST.INVALID');
  });
});
