import { rmSync } from 'node:fs';
import globalSetup from './global-setup';
import { appLogDir, buildApps } from './processes';

/** For suites that run the apps as processes (e2e, fault): the shared set-up, then one build. */
export default async function globalSetupBuilt(): Promise<void> {
  await globalSetup();
  // Each run's app logs only: a failure's log is not buried among older runs'.
  rmSync(appLogDir, { recursive: true, force: true });
  if (process.env.PLAYBALL_APPS_BUILT) return;
  buildApps();
  process.env.PLAYBALL_APPS_BUILT = '1';
}
