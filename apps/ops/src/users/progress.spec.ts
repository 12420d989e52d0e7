import { Progress } from './progress';

describe('rebuild progress', () => {
  const capture = (json: boolean, tty: boolean) => {
    const out: string[] = [];
    return { out, progress: new Progress(json, tty, (text) => out.push(text)) };
  };

  it('draws a bar in place on a terminal, and ends its line', () => {
    const { out, progress } = capture(false, true);
    progress.report('rebuild', { read: 50, total: 200 });
    progress.report('rebuild', { read: 200, total: 200 }, true);
    expect(out).toEqual([
      `\rrebuild [${'#'.repeat(8)}${'-'.repeat(22)}] 25% 50/200 records`,
      `\rrebuild [${'#'.repeat(30)}] 100% 200/200 records`,
      '\n',
    ]);
  });

  it('prints plain lines when stderr is not a terminal, at most every 2 s but always the last', () => {
    const { out, progress } = capture(false, false);
    progress.report('rebuild', { read: 1, total: 4 });
    progress.report('rebuild', { read: 2, total: 4 });
    progress.report('rebuild', { read: 4, total: 4 }, true);
    expect(out).toEqual(['rebuild: 1/4 records (25%)\n', 'rebuild: 4/4 records (100%)\n']);
  });

  it('prints JSON lines with --json, even on a terminal', () => {
    const { out, progress } = capture(true, true);
    progress.report('catch-up', { read: 0, total: 0 }, true);
    expect(out.map((line) => JSON.parse(line) as unknown)).toEqual([
      { progress: { phase: 'catch-up', read: 0, total: 0, percent: 100 } },
    ]);
  });
});
