import { AuthWriter } from '../test/support/auth-writer';
import { runAtRate } from '../bench/support/rate';
import { system, stopSystem } from '../bench/support/system';
import { installStageClocks } from '../bench/support/stages';
import { sleep } from '../bench/support/infra';

async function main() {
  const { auth, groups } = await system();
  const writer = await AuthWriter.open(auth.database.url, 32);
  const users = await writer.createUsers(400);
  await sleep(3000);
  await Promise.all(users.slice(0, 32).map((id) => writer.rename(id, 'Warm')));
  const clocks = await installStageClocks(auth.database.url, groups.database.url);
  const since = new Date();
  const run = await runAtRate(Number(process.env.RATE ?? 1000), 20, 32, async (i) => {
    const id = users[i % users.length];
    await writer.rename(id, `R ${i}`);
  });
  await sleep(3000);
  console.log(`writer ${Math.round(run.achieved)}/s; ${await clocks.split(since)}`);
  await writer.close();
  await stopSystem();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
