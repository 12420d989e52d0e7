import { randomBytes } from 'node:crypto';
import { authDataSourceOptions } from '../../apps/auth/src/database/data-source';
import { groupManagementDataSourceOptions } from '../../apps/group-management/src/database/data-source';
import { createTemplate } from './databases';
import { ensureInfrastructure } from './infrastructure';
import { libsDataSourceOptions } from './libs-data-source';

/**
 * Runs once per test run (jest calls it for each project; the second call finds the work done):
 * infrastructure up, then one migrated template database per schema.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.PLAYBALL_TEST_RUN) return;
  ensureInfrastructure();
  // Inherited by the test workers, which clone this run's templates.
  process.env.PLAYBALL_TEST_RUN = randomBytes(4).toString('hex');
  await createTemplate('auth', authDataSourceOptions);
  await createTemplate('group_management', groupManagementDataSourceOptions);
  await createTemplate('libs', libsDataSourceOptions);
}
