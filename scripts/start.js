#!/usr/bin/env node
// `npm start`: infrastructure up, both apps built and running (migrations run at their start-up),
// their URLs printed. Ctrl-C stops everything this script started, and only that.
//
// With a Docker engine, docker compose runs the whole stack; without one, scripts/infra.sh runs a
// real Kafka broker from the Maven jars (KAFKA_NODES=3: a cluster) and the PostgreSQL it finds, or
// an embedded one.
const { spawn, spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
// The V8 flags every way of running the apps passes (see docs/performance.md, memory).
const appNodeFlags = require('./app-node-flags.json');
const apps = [
  {
    name: 'auth',
    port: Number(process.env.AUTH_PORT ?? 3001),
    metricsPort: Number(process.env.AUTH_METRICS_PORT ?? 9464),
    database: 'playball_auth',
  },
  {
    name: 'group-management',
    port: Number(process.env.GROUP_MANAGEMENT_PORT ?? 3002),
    metricsPort: Number(process.env.GROUP_MANAGEMENT_METRICS_PORT ?? 9465),
    database: 'playball_group_management',
  },
];

/** The broker(s) infra.sh runs: KAFKA_PORT, or with KAFKA_NODES=3 the cluster's three nodes. */
function kafkaBrokers() {
  if (process.env.KAFKA_NODES !== '3') return `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`;
  const first = Number(process.env.KAFKA_CLUSTER_PORT ?? 29092);
  return [0, 1, 2].map((i) => `127.0.0.1:${first + i}`).join(',');
}

/** The PostgreSQL that infra.sh uses (PGHOST/PGPORT/PGUSER, e.g. an embedded one on another port). */
function databaseUrl(app) {
  const { PGHOST = '127.0.0.1', PGPORT = '5432', PGUSER = 'postgres' } = process.env;
  return `postgres://${PGUSER}@${PGHOST}:${PGPORT}/${app.database}`;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`[start] ${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

function dockerAnswers() {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 }).status === 0;
}

function infraAlreadyUp() {
  return spawnSync('bash', ['scripts/infra.sh', 'status'], { cwd: root, stdio: 'ignore' }).status === 0;
}

async function waitForHealth(app, child) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${app.name} exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      // Every check up, the consumer in its group included: the printed journey then works at once.
      const response = await fetch(`http://127.0.0.1:${app.port}/health`);
      if (response.ok && (await response.json()).status === 'up') return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app.name} did not become healthy within 90 s`);
}

function printUsage() {
  console.log(`
PlayBall is running:
  auth              http://127.0.0.1:${apps[0].port}   (OpenAPI: /docs, health: /health; metrics: http://127.0.0.1:${apps[0].metricsPort}/metrics)
  group-management  http://127.0.0.1:${apps[1].port}   (OpenAPI: /docs, health: /health; metrics: http://127.0.0.1:${apps[1].metricsPort}/metrics)

Try it:
  curl -s -XPOST localhost:${apps[0].port}/auth/register -H 'content-type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct horse","displayName":"Ada"}'
  TOKEN=$(curl -s -XPOST localhost:${apps[0].port}/auth/login -H 'content-type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct horse"}' | node -pe 'JSON.parse(fs.readFileSync(0)).accessToken')
  curl -s -XPOST localhost:${apps[1].port}/groups -H "authorization: Bearer $TOKEN" \\
       -H 'content-type: application/json' -d '{"name":"Sunday league"}'

Ctrl-C stops everything npm start started.`);
}

function startWithDocker() {
  console.log('[start] a Docker engine answers: docker compose up (Ctrl-C stops it)');
  const compose = spawn('docker', ['compose', 'up', '--build'], { cwd: root, stdio: 'inherit' });
  const stop = () => compose.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  compose.on('exit', (code) => {
    spawnSync('docker', ['compose', 'down'], { cwd: root, stdio: 'inherit' });
    process.exit(code ?? 0);
  });
}

async function startLocally() {
  const startedInfra = !infraAlreadyUp();
  run('bash', ['scripts/infra.sh', 'up']);
  // The e2e suite has built the apps already and runs others from the same dist/ meanwhile.
  if (process.env.START_SKIP_BUILD !== '1') {
    run('npx', ['nest', 'build', 'auth']);
    run('npx', ['nest', 'build', 'group-management']);
  }

  const children = apps.map((app) => {
    const main = join(root, 'dist/apps', app.name, 'apps', app.name, 'src/main.js');
    const child = spawn(process.execPath, [...appNodeFlags, main], {
      cwd: root,
      stdio: 'inherit',
      env: {
        // group-management verifies tokens with the keys of the auth started here.
        AUTH_JWKS_URL: `http://127.0.0.1:${apps[0].port}/.well-known/jwks.json`,
        DATABASE_URL: databaseUrl(app),
        KAFKA_BROKERS: kafkaBrokers(),
        ...process.env,
        PORT: String(app.port),
        METRICS_PORT: String(app.metricsPort),
      },
    });
    return { app, child };
  });

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping the apps');
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    if (startedInfra) run('bash', ['scripts/infra.sh', 'down']);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const { app, child } of children) {
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`[start] ${app.name} exited unexpectedly (${code ?? signal})`);
        void stop(1);
      }
    });
  }

  try {
    await Promise.all(children.map(({ app, child }) => waitForHealth(app, child)));
    printUsage();
  } catch (error) {
    console.error(`[start] ${error.message}`);
    await stop(1);
  }
}

if (dockerAnswers()) startWithDocker();
else void startLocally();
