import { Logger } from '@nestjs/common';
import { createGroupManagementApp } from './app';
import { loadGroupManagementConfig } from './config';

async function main(): Promise<void> {
  const config = loadGroupManagementConfig();
  const app = await createGroupManagementApp(config);
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  new Logger('group-management').log(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // A bad configuration names its variable; anything else is printed whole.
  console.error(error instanceof Error && error.name === 'ConfigError' ? error.message : error);
  process.exit(1);
});
