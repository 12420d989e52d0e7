import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../../support/infrastructure';

export interface OpsRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout as JSON, for runs with --json. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked by expect()
}

/** `npm run ops -- <args>` as an operator runs it: a process of its own, with only the given environment. */
export function runOps(args: string[], env: Record<string, string>): Promise<OpsRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', join(repoRoot, 'apps/ops/src/main.ts'), ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH, ...env }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // A run killed (its timeout) has no code: -1, and its signal is in stderr's place.
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && typeof error.code !== 'number') stderr += `\n(killed: ${error.signal ?? error.message})`;
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
