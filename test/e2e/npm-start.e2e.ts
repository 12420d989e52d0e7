import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { authClient, groupManagementClient } from '../support/api-client';
import { eventually } from '../support/eventually';
import { repoRoot } from '../support/infrastructure';
import { freePorts } from '../support/processes';

// `npm start` as a newcomer runs it: both apps up and healthy, their URLs printed, and Ctrl-C
// (SIGINT) stops every process it started. The infrastructure is already up here, so it is left
// running, as the script promises ("stops everything it started"). It uses the development
// databases (playball_auth, playball_group_management), as npm start does; it only reads health.
describe('npm start', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('brings both apps up, prints their URLs, and stops them on Ctrl-C', async () => {
    const [authPort, groupsPort, authMetricsPort, groupsMetricsPort] = await freePorts(4);
    let output = '';
    child = spawn(process.execPath, [join(repoRoot, 'scripts/start.js')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        AUTH_PORT: String(authPort),
        GROUP_MANAGEMENT_PORT: String(groupsPort),
        AUTH_METRICS_PORT: String(authMetricsPort),
        GROUP_MANAGEMENT_METRICS_PORT: String(groupsMetricsPort),
        LOG_LEVEL: 'warn',
        START_SKIP_BUILD: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    await eventually(() => expect(output).toContain('PlayBall is running'), 120_000, 250);
    expect(output).toContain(`http://127.0.0.1:${authPort}`);
    expect(output).toContain(`http://127.0.0.1:${groupsPort}`);
    const clients = [
      authClient(`http://127.0.0.1:${authPort}`),
      groupManagementClient(`http://127.0.0.1:${groupsPort}`),
    ];
    for (const client of clients) {
      expect((await client.GET('/health')).response.status).toBe(200);
    }

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const client of clients) {
      await expect(client.GET('/health')).rejects.toThrow();
    }
  }, 180_000);
});
