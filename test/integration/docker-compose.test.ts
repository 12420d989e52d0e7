import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authConfigSchema, loadAuthConfig } from '../../apps/auth/src/config';
import { groupManagementConfigSchema, loadGroupManagementConfig } from '../../apps/group-management/src/config';
import { topicReplication } from '@playball/platform/kafka';
import { repoRoot } from '../support/infrastructure';
import { appNodeFlags } from '../support/processes';

// No Docker engine runs on the machines this is tested on, so docker-compose.yml cannot be started
// here. What can be checked: it configures the apps with the same variables the local path uses,
// and with values the apps accept.

/**
 * The `environment:` map of one service, read from the compose file's plain two-space layout, with
 * `${NAME:-default}` resolved from `shell` as compose would.
 */
function environmentOf(service: string, shell: Record<string, string> = {}): Record<string, string> {
  const lines = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8').split('\n');
  const start = lines.indexOf(`  ${service}:`);
  const env: Record<string, string> = {};
  let inEnvironment = false;
  for (const line of lines.slice(start + 1)) {
    if (/^ {2}\S/.test(line)) break; // the next service
    if (/^ {4}\S/.test(line)) inEnvironment = line.trim() === 'environment:';
    const entry = /^ {6}([A-Z_]+): (.*)$/.exec(line);
    if (inEnvironment && entry) {
      env[entry[1]] = entry[2]
        .replace(/^'(.*)'$/, '$1')
        .replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => shell[name] || fallback);
    }
  }
  return env;
}

describe('Dockerfile', () => {
  it('runs the apps with the V8 flags every other way of running them passes', () => {
    const cmd = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('CMD '));
    expect(appNodeFlags.length).toBeGreaterThan(0);
    expect(cmd).toContain(`exec node ${appNodeFlags.join(' ')} dist/apps/`);
  });
});

describe('docker-compose.yml', () => {
  it.each([
    ['auth', Object.keys(authConfigSchema.shape), loadAuthConfig],
    ['group-management', Object.keys(groupManagementConfigSchema.shape), loadGroupManagementConfig],
  ] as const)('configures %s with variables and values its config accepts', (service, known, load) => {
    const { APP, ...env } = environmentOf(service);
    expect(APP).toBe(service);
    expect(Object.keys(env).length).toBeGreaterThan(3);
    expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
    expect(() => load(env)).not.toThrow();
  });

  it('keeps PostgreSQL behind a password and off the public interface', () => {
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    const postgres = environmentOf('postgres');
    expect(postgres.POSTGRES_HOST_AUTH_METHOD).toBeUndefined();
    expect(postgres.POSTGRES_PASSWORD).toBe('playball-local');
    expect(environmentOf('postgres', { POSTGRES_PASSWORD: 's3cret' }).POSTGRES_PASSWORD).toBe('s3cret');
    expect(compose).not.toMatch(/trust/);
    const postgresPorts = /^ {2}postgres:\n(?:^ {4}.*\n|^ {6}.*\n)*?^ {4}ports: (.*)$/m.exec(compose)?.[1];
    expect(postgresPorts).toBe("['127.0.0.1:${PGPORT:-5432}:5432']");
    for (const app of ['auth', 'group-management']) {
      const url = new URL(environmentOf(app, { POSTGRES_PASSWORD: 's3cret' }).DATABASE_URL);
      expect(url.password).toBe('s3cret');
    }
  });

  it('runs a three-node cluster in the cluster profile, with the apps pointed at it by KAFKA_BROKERS', () => {
    const nodes = ['kafka-1', 'kafka-2', 'kafka-3'].map((service) => environmentOf(service));
    expect(new Set(nodes.map((n) => n.CLUSTER_ID)).size).toBe(1);
    expect(new Set(nodes.map((n) => n.KAFKA_CONTROLLER_QUORUM_VOTERS))).toEqual(
      new Set(['1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093']),
    );
    nodes.forEach((n, i) => {
      expect(n).toMatchObject({
        KAFKA_NODE_ID: String(i + 1),
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://kafka-${i + 1}:9092`,
        KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: 'false',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3',
      });
    });

    const shell = { KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092,kafka-3:9092' };
    const { APP: _app, ...env } = environmentOf('group-management', shell);
    const config = loadGroupManagementConfig(env);
    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9092', 'kafka-3:9092']);
    expect(topicReplication(config)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });
});
