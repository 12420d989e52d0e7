import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { AppError } from './app-error';
import { ProblemFilter } from './problem.filter';

describe('ProblemFilter', () => {
  const filter = new ProblemFilter({ 'GROUP.NOT_FOUND': 404 });

  it('renders an AppError with the status its code maps to', () => {
    expect(filter.toProblem(new AppError<'GROUP.NOT_FOUND'>('GROUP.NOT_FOUND', 'No such group.'))).toMatchObject({
      status: 404,
      code: 'GROUP.NOT_FOUND',
      detail: 'No such group.',
      type: 'https://playball.dev/problems/group-not-found',
    });
  });

  it('answers 503 with Retry-After when the database is unreachable, not 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(filter.toProblem(refused)).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE', retryAfter: 1 });
  });

  it('hides the details of an unexpected error behind a 500 INTERNAL', () => {
    const problem = filter.toProblem(new TypeError('secret internals'));
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(problem)).not.toContain('secret internals');
  });

  it('keeps Nest HTTP exceptions as they are, with a code', () => {
    expect(filter.toProblem(new NotFoundException())).toMatchObject({ status: 404, code: 'HTTP.NOT_FOUND' });
  });

  it('treats an unmapped AppError code as a bug (500)', () => {
    expect(filter.toProblem(new AppError<'NOT.MAPPED'>('NOT.MAPPED', 'x')).status).toBe(500);
  });

  it('throws a failure of a Kafka handler on, unrendered and unlogged, so that its batch stays uncommitted', () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const failure = new Error('consumer stopping');
    const rpc = {
      getType: () => 'rpc',
      switchToHttp: () => {
        throw new Error('not an HTTP request');
      },
    } as unknown as ArgumentsHost;
    try {
      expect(() => filter.catch(failure, rpc)).toThrow(failure);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
