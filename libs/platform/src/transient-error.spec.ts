import { QueryRunnerAlreadyReleasedError } from 'typeorm';
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
    ['a transaction whose connection TypeORM released after an error', new QueryRunnerAlreadyReleasedError()],
    [
      'a TypeORM wrapper around a driver error',
      Object.assign(new Error('query failed'), { driverError: withCode('x', '08006') }),
    ],
  ])('treats %s as transient', (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(withCode('duplicate key value', '23505'), { severity: 'ERROR' })],
    ['a type error in a handler', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'boom'],
  ])('treats %s as permanent', (_, error) => {
    expect(isTransient(error)).toBe(false);
  });
});
