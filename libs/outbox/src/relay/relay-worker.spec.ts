import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workerExecArgv } from './relay-thread';

const platformSources = join(__dirname, '..', '..', '..', 'platform', 'src') + '/';

describe('the relay thread', () => {
  it('loads no TypeORM: its modules cost the thread 7–8 MiB (docs/performance.md)', () => {
    // The thread's entry runs on import, so its own imports are loaded instead, in a fresh process.
    const entry = readFileSync(join(__dirname, 'relay-worker.ts'), 'utf8');
    // Its own files, and the platform's through tsconfig's path (which `-e` code does not get).
    const imports = [...entry.matchAll(/from '(\.\/[^']+|@playball\/platform\/[^']+)'/g)].map(([, path]) =>
      path.startsWith('.') ? join(__dirname, path) : path.replace('@playball/platform/', platformSources),
    );
    expect(imports).toContain(`${platformSources}observability`);
    const loaded = execFileSync(
      process.execPath,
      [
        '--require',
        '@swc-node/register',
        '-e',
        `for (const m of ${JSON.stringify(imports)}) require(m); console.log(JSON.stringify(Object.keys(require.cache)))`,
      ],
      { encoding: 'utf8' },
    );
    const modules = JSON.parse(loaded) as string[];
    expect(modules.some((m) => m.includes('/node_modules/kafkajs/'))).toBe(true);
    expect(modules.filter((m) => m.includes('/node_modules/typeorm/'))).toEqual([]);
  });

  it("takes the app's CPU-profiling flags, and none of its others", () => {
    const app = ['--max-old-space-size=128', '--cpu-prof', '--cpu-prof-dir=/tmp/p', '--cpu-prof-name=a.cpuprofile'];
    // From the TypeScript sources (as here) the thread also gets the on-the-fly compiler.
    const compiler = ['--require', '@swc-node/register'];
    expect(workerExecArgv(app)).toEqual([...compiler, '--cpu-prof', '--cpu-prof-dir=/tmp/p']);
    expect(workerExecArgv(['--cpu-prof', '--cpu-prof-interval', '500', '--inspect'])).toEqual([
      ...compiler,
      '--cpu-prof',
      '--cpu-prof-interval',
      '500',
    ]);
    expect(workerExecArgv(['--max-old-space-size=128'])).toEqual(compiler);
  });
});
