import { BenchRow } from '../bench-row';

function formatValue(row: BenchRow): string {
  return `${row.value.toLocaleString('en-US')} ${row.unit}`;
}

/** The rows as a markdown table; baselines are marked, so each figure reads beside its own. */
export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| measure | subject | value | note |', '| --- | --- | ---: | --- |'];
  for (const row of rows) {
    const subject = row.baseline ? `baseline: ${row.subject}` : row.subject;
    lines.push(`| ${row.measure} | ${subject} | ${formatValue(row)} | ${row.note ?? ''} |`);
  }
  return lines.join('\n');
}
