/**
 * `npm run bench:readme`: replaces README.md's performance table with the one bench/results/latest.json
 * holds, between the `<!-- bench:start -->` and `<!-- bench:end -->` markers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { BenchRow } from './bench-row';
import { markdownTable } from './support/table';

const root = join(__dirname, '..');
const result = JSON.parse(readFileSync(join(root, 'bench', 'results', 'latest.json'), 'utf8')) as {
  startedAt: string;
  quick: boolean;
  machine: { cpu: string; cores: number; loadAverageAtStart: number[]; versions: { node: string } };
  rows: BenchRow[];
};
const { machine } = result;
const table = [
  '<!-- bench:start -->',
  `From \`bench/results/latest.json\` (${result.startedAt.slice(0, 10)}${result.quick ? ', quick run' : ''}): ` +
    `${machine.cores} × ${machine.cpu}, node ${machine.versions.node}, load average ${machine.loadAverageAtStart.join(' / ')} at the start.`,
  '',
  markdownTable(result.rows),
  '<!-- bench:end -->',
].join('\n');
async function main(): Promise<void> {
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  if (!/<!-- bench:start -->[\s\S]*<!-- bench:end -->/.test(readme)) {
    throw new Error('README.md has no <!-- bench:start --> … <!-- bench:end --> markers');
  }
  const updated = readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, table);
  const options = await resolveConfig(readmePath);
  writeFileSync(readmePath, await format(updated, { ...options, filepath: readmePath }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
