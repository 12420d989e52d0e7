import { peakRate } from './rates';

describe('peakRate', () => {
  it('is the busiest window, per second', () => {
    const quiet = [0, 1_000, 2_000, 3_000];
    const burst = Array.from({ length: 50 }, (_, i) => 10_000 + i * 20); // 50 answers in 1 s
    expect(peakRate([...quiet, ...burst], 1_000)).toBe(50);
    expect(peakRate([...quiet, ...burst], 5_000)).toBe(10);
  });

  it('does not depend on the order the answers came in', () => {
    expect(peakRate([3_000, 0, 2_500, 500, 1_000], 1_000)).toBe(3);
  });

  it('is 0 without answers', () => {
    expect(peakRate([], 5_000)).toBe(0);
  });
});
