import { QueryFailedError } from 'typeorm';
import { AuthError } from '../errors';

const UNIQUE_VIOLATION = '23505';
const EMAIL_INDEX = 'users_email_lower_idx';

/**
 * The database, not a prior lookup, decides whether an email is taken: a lookup would race with a
 * concurrent registration. Rethrows the index's violation as USER.EMAIL_TAKEN, anything else as is.
 */
export function rethrowEmailTaken(error: unknown): never {
  const driverError =
    error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : {};
  if (driverError.code === UNIQUE_VIOLATION && driverError.constraint === EMAIL_INDEX) {
    throw new AuthError('USER.EMAIL_TAKEN', 'An account with this email already exists.');
  }
  throw error;
}
