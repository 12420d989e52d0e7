import { Logger } from '@nestjs/common';
import { createAuthApp } from './app';
import { loadAuthConfig } from './config';

async function main(): Promise<void> {
  const config = loadAuthConfig();
  const app = await createAuthApp(config);
  await app.listen(config.PORT, config.HOST);
  new Logger('auth').log(`listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  // A bad configuration names its variable; anything else is printed whole.
  console.error(error instanceof Error && error.name === 'ConfigError' ? error.message : error);
  process.exit(1);
});
