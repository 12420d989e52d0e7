import globalSetup from './global-setup';
import { buildApps } from './processes';

/** For suites that run the apps as processes (e2e, fault): the shared set-up, then one build. */
export default async function globalSetupBuilt(): Promise<void> {
  await globalSetup();
  if (process.env.PLAYBALL_APPS_BUILT) return;
  buildApps();
  process.env.PLAYBALL_APPS_BUILT = '1';
}
