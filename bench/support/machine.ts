import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release, platform } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { serverUrl } from './infra';

function version(pkg: string): string {
  const file = join(__dirname, '..', '..', 'node_modules', pkg, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** What the figures came from: the machine, its load, and the versions of everything measured. */
export async function machine(): Promise<Record<string, unknown>> {
  const client = new Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  const { rows } = await client.query<{ v: string }>('show server_version');
  await client.end();
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    versions: {
      node: process.version,
      postgres: rows[0].v,
      kafka: process.env.KAFKA_VERSION ?? '3.9.1 (scripts/infra.sh)',
      kafkajs: version('kafkajs'),
      pg: version('pg'),
      typeorm: version('typeorm'),
      nest: version('@nestjs/core'),
    },
  };
}
