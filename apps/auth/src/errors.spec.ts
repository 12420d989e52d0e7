import { ProblemFilter } from '@playball/platform/http';
import { AuthError, statusByCode } from './errors';

describe('the auth error codes', () => {
  const filter = new ProblemFilter(statusByCode);

  it('answers each with its mapped status, never 500', () => {
    for (const [code, status] of Object.entries(statusByCode) as [keyof typeof statusByCode, number][]) {
      const problem = filter.toProblem(new AuthError(code, 'x'));
      expect({ code, status: problem.status }).toEqual({ code, status });
      // 503 only where a retry helps (CONSISTENCY.PENDING); otherwise the client's error.
      expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
    }
  });

  it("does not compile a typo or another app's code (tsc checks the expect-errors)", () => {
    // @ts-expect-error -- a typo
    expect(new AuthError('USER.EMAIL_TAKN', 'x').code).toBe('USER.EMAIL_TAKN');
    // @ts-expect-error -- the other app's code
    expect(new AuthError('GROUP.NOT_FOUND', 'x').code).toBe('GROUP.NOT_FOUND');
  });
});
