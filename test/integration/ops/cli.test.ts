import { runOps } from './support/ops-cli';

/** What scripts rely on without any infrastructure: help and usage errors. */
describe('npm run ops: help and usage', () => {
  const commands = [
    [],
    ['outbox', 'status'],
    ['inbox', 'status'],
    ['dlq', 'list'],
    ['dlq', 'show'],
    ['dlq', 'replay'],
    ['users', 'rebuild'],
  ];

  it('prints --help for every command and exits 0; every leaf command offers --json', async () => {
    // One after the other: each run compiles the CLI (swc) in a process of its own, ~10 s apiece on a
    // busy 2-core machine, and side by side they starve each other.
    const runs = [];
    for (const command of commands) runs.push(await runOps([...command, '--help'], {}));
    runs.forEach((run, i) => {
      expect({ command: commands[i], code: run.code }).toEqual({ command: commands[i], code: 0 });
      expect(run.stdout).toContain(`Usage: npm run ops -- ${commands[i].join(' ')}`.trimEnd());
      if (commands[i].length === 2) expect(run.stdout).toContain('--json');
    });
  }, 400_000);

  it.each<[string, string[], Record<string, string>?]>([
    ['an unknown option', ['outbox', 'status', '--bogus']],
    ['an unknown app', ['outbox', 'status', '--app', 'billing']],
    ['a command group without its subcommand', ['dlq']],
    ['a replay naming no letter and no --all', ['dlq', 'replay']],
    ['a malformed --max-lag', ['inbox', 'status', '--max-lag', 'lots']],
    ['an environment the apps would refuse', ['inbox', 'status'], { KAFKA_BROKERS: 'no port here' }],
    [
      'both apps while DATABASE_URL names one database',
      ['outbox', 'status'],
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' },
    ],
  ])('exits 2 for %s', async (_, args, env = {}) => {
    const run = await runOps(args, env);
    expect(run.code).toBe(2);
  });

  it('says a usage error in --json too', async () => {
    const run = await runOps(['dlq', 'replay', '--json'], {});
    expect(run.code).toBe(2);
    expect(run.json).toEqual({ status: 'usage', error: expect.stringContaining('--all') });
  });

  it('exits 4 when the database or the broker does not answer', async () => {
    const [database, broker] = await Promise.all([
      runOps(['outbox', 'status', '--app', 'auth', '--json'], {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/playball_auth',
      }),
      runOps(['inbox', 'status', '--json'], { KAFKA_BROKERS: '127.0.0.1:1' }),
    ]);
    expect(database.code).toBe(4);
    expect(database.json).toEqual({ status: 'unreachable', error: expect.stringContaining('database') });
    expect(broker.code).toBe(4);
    expect(broker.json.status).toBe('unreachable');
  }, 120_000);
});
