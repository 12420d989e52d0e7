import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from './databases';
import { kafkaBrokers, repoRoot } from './infrastructure';
import { uniqueName } from './kafka';
import { AppProcess, freePorts } from './processes';

/**
 * Both apps as processes on their own databases and topic namespace: the system a client sees.
 * Instances can be added (scale-out) and killed (faults).
 */
export class System {
  readonly prefix = `${uniqueName('t')}.`;
  readonly consumerGroup = uniqueName('group-management');
  readonly instances: AppProcess[] = [];
  /** Shared by every auth instance, so that all of them sign with the same development key. */
  private readonly keysDir = join(repoRoot, '.infra', 'test-keys', this.prefix);
  private databases: Partial<Record<'auth' | 'group-management', TestDatabase>> = {};

  /** `env`: settings for every instance (LOG_LEVEL=debug, say), over the quick defaults below. */
  constructor(private readonly env: Record<string, string> = {}) {}

  /** `until: 'answering'` when a dependency is down on purpose and /health cannot answer 200. */
  async start(until: 'healthy' | 'answering' = 'healthy'): Promise<this> {
    this.databases.auth = await createTestDatabase('auth');
    this.databases['group-management'] = await createTestDatabase('group_management');
    await this.add('auth', {}, until);
    await this.add('group-management', {}, until);
    return this;
  }

  get auth(): AppProcess {
    return this.first('auth');
  }

  get groups(): AppProcess {
    return this.first('group-management');
  }

  get authDatabaseUrl(): string {
    return this.databases.auth!.url;
  }

  get groupsDatabaseUrl(): string {
    return this.databases['group-management']!.url;
  }

  /** Starts one more instance of an app (sharing its database, relay lock and consumer group). */
  async add(
    name: 'auth' | 'group-management',
    env: Record<string, string> = {},
    until: 'healthy' | 'answering' = 'healthy',
  ): Promise<AppProcess> {
    const common = {
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: this.prefix,
      OUTBOX_POLL_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
    };
    const specific: Record<string, string> =
      name === 'auth'
        ? {
            DATABASE_URL: this.authDatabaseUrl,
            AUTH_THROTTLE_LIMIT: '100000',
            AUTH_THROTTLE_ACCOUNT_LIMIT: '100000',
            JWT_KEYS_DIR: this.keysDir,
            // OWASP's minimum argon2id cost: a quarter of the default's CPU, so the workload is not all hashing.
            PASSWORD_HASH_MEMORY_KIB: '19456',
            PASSWORD_HASH_PASSES: '2',
          }
        : {
            DATABASE_URL: this.groupsDatabaseUrl,
            KAFKA_CONSUMER_GROUP: this.consumerGroup,
            AUTH_JWKS_URL: `${this.auth.url}/.well-known/jwks.json`,
            // The workloads write from one address and a few accounts, far faster than a person.
            WRITE_THROTTLE_LIMIT: '100000',
            WRITE_THROTTLE_ACCOUNT_LIMIT: '100000',
          };
    const [port, metricsPort] = await freePorts(2);
    const ports = { METRICS_PORT: String(metricsPort) };
    const instance = new AppProcess(name, port, { ...common, ...ports, ...specific, ...this.env, ...env });
    this.instances.push(instance);
    return instance.start({ until });
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop('SIGTERM')));
    await Promise.all(Object.values(this.databases).map((d) => d?.drop()));
    rmSync(this.keysDir, { recursive: true, force: true });
  }

  private first(name: string): AppProcess {
    const instance =
      this.instances.find((i) => i.name === name && i.running) ?? this.instances.find((i) => i.name === name);
    if (!instance) throw new Error(`no ${name} instance`);
    return instance;
  }
}
