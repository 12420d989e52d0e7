import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { kafkaBrokers, repoRoot } from '../support/infrastructure';
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
  it('without java says which one to install', async () => {
    const result = await infraUp(['java']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/java is not installed: install a Java runtime, 17 or newer/);
  });

  it('fetches the Kafka jars without Maven: exactly the ones infra/kafka/jars.txt lists', () => {
    const { path, cleanup } = pathWithout(['mvn']);
    const folder = mkdtempSync(join(tmpdir(), 'playball-jars-'));
    try {
      const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/infra/kafka-jars.js'), folder], {
        env: { ...process.env, PATH: path },
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      const listed = readFileSync(join(repoRoot, 'infra/kafka/jars.txt'), 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => {
          const [, artifact, version] = line.split(':');
          return `${artifact}-${version}.jar`;
        });
      expect(readdirSync(folder).sort()).toEqual(listed.sort());
    } finally {
      cleanup();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('scripts/infra.sh with KAFKA_NODES', () => {
  it('refuses a node count it cannot run, naming the ones it can', () => {
    const result = spawnSync('bash', [join(repoRoot, 'scripts/infra.sh'), 'status'], {
      env: { ...process.env, KAFKA_NODES: '2' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/KAFKA_NODES=2: 1 \(one broker\) or 3 \(a three-node cluster\)/);
  });
});

describe('scripts/infra.sh on a machine without PostgreSQL or Docker', () => {
  it('runs an embedded PostgreSQL with the apps databases, says so, and stops it at down', async () => {
    const { path, cleanup } = pathWithout(['psql', 'docker', 'pg_ctlcluster']);
    const infraDir = mkdtempSync(join(tmpdir(), 'playball-infra-'));
    chmodSync(infraDir, 0o755); // as root, the server runs as the user postgres, who must reach it
    const port = await freePort();
    // The tests' own broker stands in for Kafka: `up` finds its port open and uses it.
    const env = {
      ...process.env,
      PATH: path,
      INFRA_DIR: infraDir,
      PGPORT: String(port),
      DATABASE_URL: '',
      KAFKA_NODES: '1',
      KAFKA_PORT: kafkaBrokers[0].split(':')[1],
    };
    const infra = (command: string) =>
      spawnSync('bash', [join(repoRoot, 'scripts/infra.sh'), command], { env, encoding: 'utf8' });
    try {
      const up = infra('up');
      expect({ status: up.status, stderr: up.stderr }).toEqual({ status: 0, stderr: '' });
      expect(up.stdout).toMatch(new RegExp(`using the embedded PostgreSQL \\d+\\.\\d+ at 127\\.0\\.0\\.1:${port}`));
      // PostgreSQL refuses to run as root: as root, its files belong to an unprivileged user.
      if (process.getuid?.() === 0) expect(statSync(join(infraDir, 'postgres', 'data')).uid).not.toBe(0);

      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      const { rows } = await client.query<{ datname: string }>('select datname from pg_database order by datname');
      await client.end();
      expect(rows.map((r) => r.datname)).toEqual(
        expect.arrayContaining(['playball_auth', 'playball_group_management']),
      );

      expect(infra('down').stdout).toMatch(/embedded PostgreSQL stopped/);
      expect(infra('status').status).not.toBe(0);
    } finally {
      infra('down');
      cleanup();
      rmSync(infraDir, { recursive: true, force: true });
    }
  });
});
