/**
 * `npm run bench`: the project's performance record. Every figure stands beside a raw baseline
 * measured in the same run on the same broker and database. Prints a markdown table and writes
 * bench/results/latest.json. BENCH_QUICK=1 runs a short version (about a minute).
 *
 * BENCH_RESULTS=<dir> writes the JSON there instead (CI's quick run, which proves every measure
 * still runs without touching the committed record).
 *
 * Needs the infrastructure up (`npm run infra:up`). A measure is a function
 * `(options: { quick: boolean }) => Promise<BenchRow[]>`; add one to `measures` below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { BenchRow } from './bench-row';
import { benchBacklog } from './backlog.bench';
import { benchConsumer } from './consumer.bench';
import { benchEndToEnd } from './e2e.bench';
import { benchHttp } from './http.bench';
import { benchIdle } from './idle.bench';
import { benchMixed } from './mixed.bench';
import { benchRelay } from './relay.bench';
import { brokers } from './support/infra';
import { machine } from './support/machine';
import { markdownTable } from './support/table';
import { stopSystem } from './support/system';

type Measure = (options: { quick: boolean }) => Promise<BenchRow[]>;

// idle first of those that start the apps, before any load has run through them; backlog last: it
// leaves 110,000 more users in group-management's view (its warm-up's included).
const measures: Measure[] = [benchRelay, benchConsumer, benchIdle, benchEndToEnd, benchHttp, benchMixed, benchBacklog];

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  const only = process.env.BENCH_ONLY?.split(',');
  const startedAt = new Date().toISOString();
  const context = await machine();
  const rows: BenchRow[] = [];
  try {
    for (const measure of measures) {
      if (only && !only.some((name) => measure.name.toLowerCase().includes(name.toLowerCase()))) continue;
      console.error(`[bench] ${measure.name}${quick ? ' (quick)' : ''}`);
      const measured = await measure({ quick });
      if (measured.length === 0) throw new Error(`${measure.name} measured nothing`);
      rows.push(...measured);
    }
  } finally {
    for (const { app, peakRssMiB } of await stopSystem()) {
      rows.push({
        measure: 'memory',
        subject: `${app}: peak RSS over the run`,
        value: Math.round(peakRssMiB),
        unit: 'MiB',
        baseline: false,
      });
    }
  }
  const result = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick,
    machine: { ...context, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
    settings: { brokers, topicPartitions: 6 },
    rows,
  };
  const dir = process.env.BENCH_RESULTS || join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nPlayBall bench, ${startedAt}, node ${process.version}${quick ? ', quick' : ''}\n`);
  console.log(markdownTable(rows));
  // Every figure is a rate, a latency, a size or a CPU time: zero or not a number means a measure broke (a
  // drain that saw nothing, a division by an empty round), which CI's quick run must not pass.
  const broken = rows.filter((row) => !(Number.isFinite(row.value) && row.value > 0));
  if (broken.length > 0) {
    throw new Error(`figures that cannot be right: ${broken.map((r) => `${r.subject} = ${r.value}`).join('; ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
