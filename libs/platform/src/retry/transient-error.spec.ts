import {
  CannotExecuteNotConnectedError,
  EntityNotFoundError,
  TypeORMError,
  OptimisticLockVersionMismatchError,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { isTransient } from './transient-error';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isTransient', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a terminated backend', withCode('terminating connection due to administrator command', '57P01')],
    ['a serialization failure', withCode('could not serialize access', '40001')],
    ['a deadlock', withCode('deadlock detected', '40P01')],
    [
      'a database refusing connections',
      Object.assign(withCode('database "x" is not currently accepting connections', '55000'), { severity: 'FATAL' }),
    ],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a client that errored earlier', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool that ended', new Error('Cannot use a pool after calling end on the pool')],
    ['a query on a runner TypeORM released after a connection error', new QueryRunnerAlreadyReleasedError()],
    ['a query through the manager of a released runner', new QueryRunnerProviderAlreadyReleasedError()],
    ['a query on a destroyed data source', new TypeORMError('Driver not Connected')],
    [
      'a TypeORM wrapper around a driver error',
      new QueryFailedError('select 1', [], withCode('terminating connection due to administrator command', '57P01')),
    ],
    [
      'a connection timeout with its cause',
      new Error('Connection terminated due to connection timeout', { cause: new Error('timeout expired') }),
    ],
    ['a cause deeper down', new Error('apply failed', { cause: new QueryRunnerProviderAlreadyReleasedError() })],
  ])('treats %s as transient', (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(withCode('duplicate key value', '23505'), { severity: 'ERROR' })],
    ['a type error in a handler', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a row that is not there', new EntityNotFoundError('User', { id: 'x' })],
    ['a stale version', new OptimisticLockVersionMismatchError('User', 2, 3)],
    ['a migration run on a destroyed data source (a bug, not an outage)', new CannotExecuteNotConnectedError()],
    ['a handler error that merely mentions a connection', new Error('user 7: Connection terminated is not a name')],
    ['a thrown string', 'boom'],
  ])('treats %s as permanent', (_, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
