import { AppError } from '@playball/platform';
import { parseIfMatch, requireMatch } from './if-match';

describe('parseIfMatch', () => {
  it.each([
    ['*', { any: true }],
    ['"3"', { any: false, versions: [3] }],
    ['3', { any: false, versions: [3] }],
    ['"2", "3"', { any: false, versions: [2, 3] }],
    ['W/"3"', { any: false, versions: [] }],
    ['W/"3", "4"', { any: false, versions: [4] }],
  ])('reads %s', (header, expected) => {
    expect(parseIfMatch(header)).toEqual(expected);
  });

  it.each(['abc', '"3', '"-1"', '"3" "4"', '*, "3"', '"1234567890"'])('refuses %s', (header) => {
    expect(parseIfMatch(header)).toBeUndefined();
  });
});

describe('requireMatch', () => {
  it('passes for no header, *, or a listed version', () => {
    expect(() => requireMatch(undefined, 3)).not.toThrow();
    expect(() => requireMatch({ any: true }, 3)).not.toThrow();
    expect(() => requireMatch({ any: false, versions: [2, 3] }, 3)).not.toThrow();
  });

  it('fails with the current version otherwise, weak tags included', () => {
    for (const versions of [[2], []]) {
      const failure = (() => {
        try {
          requireMatch({ any: false, versions }, 3);
        } catch (error) {
          return error;
        }
      })();
      expect(failure).toBeInstanceOf(AppError);
      expect(failure).toMatchObject({ code: 'GROUP.VERSION_MISMATCH', extensions: { currentVersion: 3 } });
    }
  });
});
