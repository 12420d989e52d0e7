import { ProblemFilter } from '@playball/platform/http';
import { GroupManagementError, statusByCode } from './errors';

describe('the group-management error codes', () => {
  const filter = new ProblemFilter(statusByCode);

  it('answers each with its mapped status, never 500', () => {
    for (const [code, status] of Object.entries(statusByCode) as [keyof typeof statusByCode, number][]) {
      const problem = filter.toProblem(new GroupManagementError(code, 'x'));
      expect({ code, status: problem.status }).toEqual({ code, status });
      // 503 only where a retry helps (CONSISTENCY.PENDING); otherwise the client's error.
      expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
    }
  });

  it('maps its own CONSISTENCY.PENDING, which the shared filter alone does not know', () => {
    expect(filter.toProblem(new GroupManagementError('CONSISTENCY.PENDING', 'x')).status).toBe(
      statusByCode['CONSISTENCY.PENDING'],
    );
    expect(new ProblemFilter().toProblem(new GroupManagementError('CONSISTENCY.PENDING', 'x')).status).toBe(500);
  });

  it("does not compile a typo or another app's code (tsc checks the expect-errors)", () => {
    // @ts-expect-error -- a typo
    expect(new GroupManagementError('GROUP.NOT_FOUDN', 'x').code).toBe('GROUP.NOT_FOUDN');
    // @ts-expect-error -- the other app's code
    expect(new GroupManagementError('USER.EMAIL_TAKEN', 'x').code).toBe('USER.EMAIL_TAKEN');
  });
});
