import { AppError } from '@playball/platform/http';
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
  const failure = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return error;
    }
  };

  it('passes for *, a listed version, or no header where none is required', () => {
    expect(() => requireMatch('*', 3, { required: true })).not.toThrow();
    expect(() => requireMatch('"2", "3"', 3, { required: true })).not.toThrow();
    expect(() => requireMatch(undefined, 3)).not.toThrow();
  });

  it('asks for the header where it is required (428)', () => {
    expect(failure(() => requireMatch(undefined, 3, { required: true }))).toMatchObject({
      code: 'GROUP.VERSION_REQUIRED',
    });
  });

  it.each(['"2"', 'W/"3"', 'abc'])('fails %s with the current version (412)', (header) => {
    const error = failure(() => requireMatch(header, 3));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'GROUP.VERSION_MISMATCH', extensions: { currentVersion: 3 } });
  });
});
