/**
 * One figure of `npm run bench`. A measured subject and its raw baseline share `measure`; the
 * baseline row says `baseline: true`, so a table can show the ratio between them.
 */
export interface BenchRow {
  measure: string;
  subject: string;
  value: number;
  unit: string;
  baseline: boolean;
  note?: string;
}
