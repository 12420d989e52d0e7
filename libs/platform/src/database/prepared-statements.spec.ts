import { StatementNames } from './prepared-statements';

describe('StatementNames', () => {
  it('names a text the second time it runs, and keeps that name', () => {
    const names = new StatementNames(10);
    expect(names.nameFor('select 1 where $1')).toBeUndefined();
    const name = names.nameFor('select 1 where $1');
    expect(name).toMatch(/^playball_[0-9a-f]{20}_\d+$/);
    expect(names.nameFor('select 1 where $1')).toBe(name);
  });

  it('names at most max texts; the rest run unnamed', () => {
    const names = new StatementNames(2);
    for (const text of ['a', 'b', 'c', 'a', 'b', 'c']) names.nameFor(text);
    expect(names.size).toBe(2);
    expect(names.nameFor('a')).toBeDefined();
    expect(names.nameFor('c')).toBeUndefined();
  });

  it('remembers at most four times max texts it saw once, so texts that never repeat cost bounded memory', () => {
    const names = new StatementNames(3);
    for (let i = 0; i < 1_000; i++) expect(names.nameFor(`insert values ${i}`)).toBeUndefined();
    // Seen since the set was last cleared (at 996, its 12 texts full) vs forgotten long ago.
    expect(names.nameFor('insert values 999')).toBeDefined();
    expect(names.nameFor('insert values 0')).toBeUndefined();
  });

  it('names a hot text even when other texts run once each between its runs', () => {
    const names = new StatementNames(2);
    expect(names.nameFor('hot')).toBeUndefined();
    for (const text of ['x1', 'x2', 'x3', 'x4']) names.nameFor(text);
    expect(names.nameFor('hot')).toBeDefined();
  });

  it('leaves long texts unnamed: multi-row statements, whose rows share their planning', () => {
    const names = new StatementNames(10);
    const long = `insert into t values ${Array.from({ length: 400 }, (_, i) => `($${i + 1})`).join(', ')}`;
    names.nameFor(long);
    expect(names.nameFor(long)).toBeUndefined();
  });

  it('gives a forgotten text a new name, never one node-postgres parsed for it before', () => {
    const names = new StatementNames(10);
    names.nameFor('q');
    const first = names.nameFor('q');
    names.forget('q');
    expect(names.nameFor('q')).toBeUndefined();
    const second = names.nameFor('q');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('names one text the same way up to its count, so a name sent elsewhere never means another text', () => {
    const one = new StatementNames(10);
    const other = new StatementNames(10);
    for (const text of ['a', 'a', 'b', 'b']) one.nameFor(text);
    for (const text of ['b', 'b']) other.nameFor(text);
    const hash = (name: string | undefined) => name?.split('_')[1];
    expect(hash(one.nameFor('b'))).toBe(hash(other.nameFor('b')));
    expect(hash(one.nameFor('a'))).not.toBe(hash(one.nameFor('b')));
  });

  it('counts forgotten names against max: the server may still hold them', () => {
    const names = new StatementNames(1);
    names.nameFor('q');
    names.nameFor('q');
    names.forget('q');
    names.nameFor('q');
    expect(names.nameFor('q')).toBeUndefined();
    names.forgetAll();
    names.nameFor('q');
    expect(names.nameFor('q')).toBeDefined();
  });

  it('forgets every name at once', () => {
    const names = new StatementNames(10);
    for (const text of ['a', 'a', 'b', 'b']) names.nameFor(text);
    names.forgetAll();
    expect(names.size).toBe(0);
    expect(names.nameFor('a')).toBeUndefined();
  });
});
