import { nameText, safeText } from './safe-text';

describe('safeText', () => {
  it.each([
    ['a lone high surrogate', 'x\ud800y'],
    ['a lone low surrogate', 'x\udc00y'],
    ['surrogates in the wrong order', '\udc00\ud800'],
  ])('refuses %s', (_, value) => {
    const result = safeText().safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/valid Unicode/);
  });

  it('keeps a well-formed astral character (a surrogate pair)', () => {
    expect(safeText().parse('🦄')).toBe('🦄');
  });

  it('normalises to NFC', () => {
    expect(safeText().parse('e\u0301')).toBe('\u00e9');
  });
});

describe('nameText', () => {
  it.each([
    ['a right-to-left override', 'Ada\u202Eecalevol'],
    ['a left-to-right embedding', '\u202AAda'],
    ['an isolate', 'Ada\u2066x\u2069'],
    ['a left-to-right mark', 'Ada\u200E'],
    ['a right-to-left mark', 'Ada\u200F'],
    ['an Arabic letter mark', 'Ada\u061C'],
    ['a zero-width space', 'A\u200Bda'],
    ['a zero-width non-joiner', 'A\u200Cda'],
    ['a zero-width joiner', 'A\u200Dda'],
    ['a word joiner', 'A\u2060da'],
    ['a byte order mark', 'A\uFEFFda'],
    ['a soft hyphen', 'A\u00ADda'],
    ['a Hangul filler', 'Ada\u3164'],
    ['a private-use character', 'Ada\uE000'],
    ['a line separator', 'Ada\u2028Bob'],
    ['a control character', 'Ada\u0007'],
    ['a newline', 'Ada\nBob'],
    ['a lone surrogate', 'Ada\ud800'],
    ['whitespace only', ' \u3000 '],
    ['101 characters', 'x'.repeat(101)],
  ])('refuses %s', (_, value) => {
    expect(nameText().safeParse(value).success).toBe(false);
  });

  it('trims and normalises what it keeps, and counts the normalised length', () => {
    expect(nameText().parse('  Zoe\u0308  ')).toBe('Zo\u00eb');
    expect(nameText(3).parse('e\u0301e\u0301e\u0301')).toBe('\u00e9\u00e9\u00e9');
  });

  it.each(['Ada Lovelace', 'Zoë', 'محمد', '山田太郎', 'Ünïcödé 🦄', "O'Brien"])('accepts %s', (value) => {
    expect(nameText().parse(value)).toBe(value);
  });
});
