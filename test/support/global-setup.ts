import { authDataSourceOptions } from '../../apps/auth/src/database/data-source';
import { groupManagementDataSourceOptions } from '../../apps/group-management/src/database/data-source';
import { libsDataSourceOptions } from './libs-data-source';
import { createTemplate } from './databases';
import { ensureInfrastructure } from './infrastructure';

/** Runs once per test run: infrastructure up, then one migrated template database per schema. */
export default async function globalSetup(): Promise<void> {
  ensureInfrastructure();
  await createTemplate('auth', authDataSourceOptions);
  await createTemplate('group_management', groupManagementDataSourceOptions);
  await createTemplate('libs', libsDataSourceOptions);
}
