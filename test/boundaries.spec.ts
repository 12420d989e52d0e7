import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const repository = join(__dirname, '..');
const depcruise = join(repository, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** Runs `npm run boundaries`' command, with the repository's rules, on a tree of files `from → to`. */
function boundaries(imports: [from: string, to: string][]): { failed: boolean; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  try {
    writeFileSync(join(root, 'tsconfig.json'), '{}');
    for (const top of ['apps', 'libs']) mkdirSync(join(root, top));
    const files = new Set(imports.flat());
    for (const file of files) {
      const imported = imports.filter(([from]) => from === file).map(([, to]) => to);
      const text = imported.map((to, i) => `import { x as x${i} } from '${relative(file, to)}';\n`).join('');
      mkdirSync(join(root, dirname(file)), { recursive: true });
      writeFileSync(join(root, file), `${text}export const x = [${imported.map((_, i) => `x${i}`).join(', ')}];\n`);
    }
    const run = spawnSync(
      process.execPath,
      [depcruise, 'apps', 'libs', '--config', join(repository, '.dependency-cruiser.js')],
      { cwd: root, encoding: 'utf8' },
    );
    return { failed: run.status !== 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `to` as a relative specifier from `from` (both repository paths of .ts files). */
function relative(from: string, to: string): string {
  const up = from.split('/').length - 1;
  return `${'../'.repeat(up)}${to.replace(/\.ts$/, '')}`;
}

describe('dependency-cruiser rules (npm run boundaries)', () => {
  it('accepts imports that go the allowed way', () => {
    const result = boundaries([
      ['libs/outbox/src/o.ts', 'libs/platform/src/kafka/index.ts'],
      ['libs/inbox/src/i.ts', 'libs/events/src/e.ts'],
      ['libs/platform/src/p.ts', 'libs/events/src/e.ts'],
      ['apps/group-management/src/user-events/c.ts', 'apps/group-management/src/groups/g.ts'],
      ['apps/group-management/src/groups/g.ts', 'apps/group-management/src/users/u.ts'],
      ['apps/group-management/src/auth/a.ts', 'apps/group-management/src/users/u.ts'],
      ['apps/auth/src/users/u.ts', 'apps/auth/src/tokens/t.ts'],
    ]);
    expect(result.output).toContain('no dependency violations found');
    expect(result.failed).toBe(false);
  }, 60_000);

  // One tree breaking every rule once (a run takes seconds): each rule must be named in the failure.
  const broken: [rule: string, from: string, to: string][] = [
    ['events-imports-nothing-internal', 'libs/events/src/e.ts', 'libs/platform/src/p.ts'],
    ['platform-not-outbox-or-inbox', 'libs/platform/src/p.ts', 'libs/outbox/src/o.ts'],
    ['platform-not-outbox-or-inbox', 'libs/platform/src/p.ts', 'libs/inbox/src/i.ts'],
    ['platform-through-its-index', 'libs/outbox/src/o3.ts', 'libs/platform/src/kafka/k.ts'],
    ['outbox-not-inbox', 'libs/outbox/src/o.ts', 'libs/inbox/src/i.ts'],
    ['inbox-not-outbox', 'libs/inbox/src/i2.ts', 'libs/outbox/src/o2.ts'],
    [
      'slices-one-way:group-management/users',
      'apps/group-management/src/users/u.ts',
      'apps/group-management/src/groups/g.ts',
    ],
    [
      'slices-one-way:group-management/users',
      'apps/group-management/src/users/u.ts',
      'apps/group-management/src/auth/a.ts',
    ],
    [
      'slices-one-way:group-management/groups',
      'apps/group-management/src/groups/g.ts',
      'apps/group-management/src/user-events/c.ts',
    ],
    ['slices-one-way:auth/tokens', 'apps/auth/src/tokens/t.ts', 'apps/auth/src/users/u.ts'],
    ['no-lib-to-app', 'libs/inbox/src/i3.ts', 'apps/auth/src/tokens/t2.ts'],
    ['no-app-to-other-app', 'apps/auth/src/throttling/h.ts', 'apps/group-management/src/users/u2.ts'],
  ];

  it('fails the check, naming each rule, when every rule is broken on purpose', () => {
    const result = boundaries(broken.map(([, from, to]) => [from, to]));
    expect(result.failed).toBe(true);
    for (const [rule, from, to] of broken) expect(result.output).toMatch(new RegExp(`${rule}: ${from} → ${to}`));
  }, 60_000);
});
