import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const claims = (n: number) => ({ userId: `user-${n}`, userVersion: 1 });

  it('answers a kept token until its time, and forgets it from then on', () => {
    const tokens = new VerifiedTokens();
    tokens.keep('a', claims(1), 1_000);

    expect(tokens.get('a', 999)).toEqual(claims(1));
    expect(tokens.get('a', 1_000)).toBeUndefined();
    expect(tokens.size).toBe(0);
    expect(tokens.get('a', 500)).toBeUndefined();
  });

  it('knows only the exact text it kept', () => {
    const tokens = new VerifiedTokens();
    tokens.keep('header.payload.signature', claims(1), 1_000);

    expect(tokens.get('header.payload.signaturf', 0)).toBeUndefined();
    expect(tokens.get('header.payload.signature ', 0)).toBeUndefined();
  });

  it('keeps at most its capacity, dropping the oldest first', () => {
    const tokens = new VerifiedTokens(3);
    for (const n of [1, 2, 3, 4]) tokens.keep(`t${n}`, claims(n), 1_000);

    expect(tokens.size).toBe(3);
    expect(tokens.get('t1', 0)).toBeUndefined();
    expect(tokens.get('t4', 0)).toEqual(claims(4));

    // Kept again (two requests verified it at once): nothing else goes.
    tokens.keep('t4', claims(4), 1_000);
    expect(['t2', 't3', 't4'].map((t) => tokens.get(t, 0))).toEqual([claims(2), claims(3), claims(4)]);
  });

  it('hands out claims no caller can change for the next one', () => {
    const tokens = new VerifiedTokens();
    tokens.keep('a', claims(1), 1_000);

    expect(() => Object.assign(tokens.get('a', 0)!, { userVersion: 99 })).toThrow(TypeError);
    expect(tokens.get('a', 0)).toEqual(claims(1));
  });
});
