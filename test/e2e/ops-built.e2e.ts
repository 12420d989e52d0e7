import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { kafkaBrokers, repoRoot } from '../support/infrastructure';

/**
 * The ops CLI as the image carries it: built with the apps (`npm run build`) and run with node from
 * dist/, not through @swc-node as `npm run ops` runs it from a checkout. (This checkout's
 * node_modules still holds the dev dependencies; the image's does not.)
 */
describe('the built ops CLI', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('auth');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("reads an app's outbox from dist/, with only that app's environment", () => {
    const main = join(repoRoot, 'dist/apps/ops/apps/ops/src/main.js');
    const result = spawnSync(process.execPath, [main, 'outbox', 'status', '--app', 'auth', '--json'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, KAFKA_BROKERS: kafkaBrokers.join(',') },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ok', apps: [{ app: 'auth', pending: 0 }] });
  });
});
