import { longestStall } from './stalls';

describe('longestStall', () => {
  it('counts a gap between completions while something waited', () => {
    const items = [
      { readyAt: 0, doneAt: 10 },
      { readyAt: 5, doneAt: 100 },
      { readyAt: 6, doneAt: 101 },
    ];
    expect(longestStall(items)).toEqual({ ms: 90, endedAt: 100 });
  });

  it('does not count a gap in which nothing was waiting', () => {
    const items = [
      { readyAt: 0, doneAt: 10 },
      { readyAt: 95, doneAt: 100 },
    ];
    expect(longestStall(items)).toEqual({ ms: 5, endedAt: 100 });
  });
});
