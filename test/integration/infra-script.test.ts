import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/infrastructure';
import { freePort } from '../support/processes';

/** A PATH with every command of this machine except `missing`, as on a machine lacking them. */
function pathWithout(missing: string[]): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'playball-path-'));
  for (const source of ['/usr/local/bin', '/usr/bin', '/bin']) {
    for (const name of readdirSync(source)) {
      if (missing.includes(name)) continue;
      try {
        symlinkSync(join(source, name), join(dir, name));
      } catch {
        // the same name earlier on PATH wins, as it would in a shell
      }
    }
  }
  return { path: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function infraUp(missing: string[]) {
  const { path, cleanup } = pathWithout(missing);
  const infraDir = mkdtempSync(join(tmpdir(), 'playball-infra-'));
  try {
    return spawnSync('bash', [join(repoRoot, 'scripts/infra.sh'), 'up'], {
      env: { ...process.env, PATH: path, INFRA_DIR: infraDir, KAFKA_PORT: String(await freePort()) },
      encoding: 'utf8',
    });
  } finally {
    cleanup();
    rmSync(infraDir, { recursive: true, force: true });
  }
}

describe('scripts/infra.sh on a machine that lacks a tool', () => {
  it.each([
    [['java'], /java is not installed: install a Java runtime, 17 or newer/],
    [['mvn'], /mvn is not installed: install Apache Maven/],
    [['psql'], /psql is not installed: install PostgreSQL 15 or newer/],
  ])('without %s says which one to install', async (missing, message) => {
    const result = await infraUp(missing);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
