import { sample, seededRandom } from './random';

describe('sample', () => {
  it('takes the number asked of distinct items, all of them when there are fewer', () => {
    const random = seededRandom(7);
    const items = Array.from({ length: 20 }, (_, i) => i);
    for (let run = 0; run < 50; run++) {
      const taken = sample(random, items, 5);
      expect(taken).toHaveLength(5);
      expect(new Set(taken).size).toBe(5);
      for (const item of taken) expect(items).toContain(item);
    }
    expect(sample(random, items.slice(0, 3), 5).sort()).toEqual([0, 1, 2]);
    expect(sample(random, [], 5)).toEqual([]);
  });

  it('leaves the list it was given as it was, and reaches every item', () => {
    const random = seededRandom(11);
    const items = ['a', 'b', 'c', 'd'];
    const seen = new Set<string>();
    for (let run = 0; run < 100; run++) sample(random, items, 1).forEach((item) => seen.add(item));
    expect(items).toEqual(['a', 'b', 'c', 'd']);
    expect(seen).toEqual(new Set(items));
  });
});
