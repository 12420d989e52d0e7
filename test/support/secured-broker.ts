import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import { KafkaEnv } from '@playball/platform/kafka';
import { repoRoot } from './infrastructure';
import { freePorts } from './processes';

export type Principal = 'admin' | 'auth' | 'group-management';

/**
 * A broker of its own with TLS, SCRAM users and ACLs (`KAFKA_SECURITY=sasl` of scripts/infra.sh), on
 * free ports and in its own directory: the run's shared broker stays plain and untouched. The
 * jars of the run's broker are reused, so nothing is downloaded.
 */
export class SecuredBroker {
  private constructor(
    private readonly infraDir: string,
    private readonly ports: { kafka: number; controller: number },
  ) {}

  static async start(): Promise<SecuredBroker> {
    const infraDir = mkdtempSync(join(tmpdir(), 'playball-sasl-'));
    const sharedJars = join(process.env.INFRA_DIR ?? join(repoRoot, '.infra'), 'kafka', 'libs');
    if (existsSync(join(sharedJars, '.pom.sha'))) {
      mkdirSync(join(infraDir, 'kafka'));
      symlinkSync(sharedJars, join(infraDir, 'kafka', 'libs'));
    }
    const [kafka, controller] = await freePorts(2);
    const broker = new SecuredBroker(infraDir, { kafka, controller });
    try {
      broker.script('kafka-up');
    } catch (error) {
      broker.stop();
      throw error;
    }
    return broker;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.ports.kafka}`];
  }

  /** What an app with this principal's credentials reads from its environment. */
  env(principal: Principal, password?: string): KafkaEnv {
    const file = readFileSync(join(this.infraDir, 'kafka', 'sasl', `${principal}.env`), 'utf8');
    const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(file)![1];
    return {
      KAFKA_BROKERS: this.brokers,
      KAFKA_CLIENT_ID: `security-test-${principal}`,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: value('KAFKA_SASL_USERNAME'),
      KAFKA_SASL_PASSWORD: password ?? value('KAFKA_SASL_PASSWORD'),
      KAFKA_SSL: value('KAFKA_SSL') === 'true',
      KAFKA_SSL_CA_FILE: value('KAFKA_SSL_CA_FILE'),
    };
  }

  /** The same as environment variables, for an app's config loader. */
  appEnv(principal: Principal): Record<string, string> {
    const env = this.env(principal);
    return {
      KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: env.KAFKA_SASL_USERNAME!,
      KAFKA_SASL_PASSWORD: env.KAFKA_SASL_PASSWORD!,
      KAFKA_SSL: String(env.KAFKA_SSL),
      KAFKA_SSL_CA_FILE: env.KAFKA_SSL_CA_FILE!,
    };
  }

  /** A bare kafkajs client that gives up at the first refusal (none of kafkajs's retries); TLS unless told. */
  client(options: { sasl?: KafkaConfig['sasl']; tls?: false } = {}): Kafka {
    const ca = readFileSync(this.env('admin').KAFKA_SSL_CA_FILE!, 'utf8');
    return new Kafka({
      clientId: 'security-test',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 3_000,
      ...(options.tls === false ? {} : { ssl: { ca: [ca] } }),
      ...(options.sasl ? { sasl: options.sasl } : {}),
    });
  }

  stop(): void {
    try {
      this.script('kafka-down');
    } finally {
      rmSync(this.infraDir, { recursive: true, force: true });
    }
  }

  private script(command: string): void {
    execFileSync('bash', [join(repoRoot, 'scripts', 'infra.sh'), command], {
      env: {
        ...process.env,
        INFRA_DIR: this.infraDir,
        KAFKA_PORT: String(this.ports.kafka),
        KAFKA_CONTROLLER_PORT: String(this.ports.controller),
        KAFKA_SECURITY: 'sasl',
        KAFKA_TOPIC_PREFIX: '',
        KAFKA_CONSUMER_GROUP: 'group-management',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}
