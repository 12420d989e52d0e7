import { ConfigError } from '@playball/platform/config';
import { AuthConfig, loadAuthConfig } from '../../../auth/src/config';
import { GroupManagementConfig, loadGroupManagementConfig } from '../../../group-management/src/config';
import { OpsError } from './exit-codes';

export const appNames = ['auth', 'group-management'] as const;
export type AppName = (typeof appNames)[number];

export interface AppConfigs {
  auth: AuthConfig;
  'group-management': GroupManagementConfig;
}

/**
 * An app's configuration from this process's environment, parsed by the app's own loader: ops reads
 * the same variables the app does (DATABASE_URL, KAFKA_*), validated the same way.
 */
export function appConfig<A extends AppName>(app: A, env: NodeJS.ProcessEnv = process.env): AppConfigs[A] {
  try {
    return (app === 'auth' ? loadAuthConfig(env) : loadGroupManagementConfig(env)) as AppConfigs[A];
  } catch (error) {
    if (error instanceof ConfigError) throw new OpsError('usage', `${app}: ${error.message}`);
    throw error;
  }
}

/**
 * The apps a command about "each app" looks at. Both by default, which only makes sense with each
 * app's default database: a DATABASE_URL in the environment names one app's database, so then the
 * operator must say which (as when running ops beside a deployed instance, with its environment).
 */
export function selectedApps(app: AppName | undefined, env: NodeJS.ProcessEnv = process.env): AppName[] {
  if (app) return [app];
  if (env.DATABASE_URL) {
    throw new OpsError('usage', 'DATABASE_URL names one app’s database: pass --app auth or --app group-management');
  }
  return [...appNames];
}
