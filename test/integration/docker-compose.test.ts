import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authConfigSchema, loadAuthConfig } from '../../apps/auth/src/config';
import { groupManagementConfigSchema, loadGroupManagementConfig } from '../../apps/group-management/src/config';
import { repoRoot } from '../support/infrastructure';

// No Docker engine runs on the machines this is tested on, so docker-compose.yml cannot be started
// here. What can be checked: it configures the apps with the same variables the local path uses,
// and with values the apps accept.

/** The `environment:` map of one service, read from the compose file's plain two-space layout. */
function environmentOf(service: string): Record<string, string> {
  const lines = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8').split('\n');
  const start = lines.indexOf(`  ${service}:`);
  const env: Record<string, string> = {};
  let inEnvironment = false;
  for (const line of lines.slice(start + 1)) {
    if (/^ {2}\S/.test(line)) break; // the next service
    if (/^ {4}\S/.test(line)) inEnvironment = line.trim() === 'environment:';
    const entry = /^ {6}([A-Z_]+): (.*)$/.exec(line);
    if (inEnvironment && entry) env[entry[1]] = entry[2].replace(/^'(.*)'$/, '$1');
  }
  return env;
}

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
});
