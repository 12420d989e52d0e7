import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceivedRecord } from '../support/kafka';
import { outOfOrderKeys, unexpectedErrors } from './checks';

let offset = 0;
function record(topic: string, key: string, id: string, sequence: number): ReceivedRecord {
  return {
    topic,
    partition: 0,
    offset: String(offset++),
    key,
    value: Buffer.from('{}'),
    headers: { ce_id: id, ce_sequence: String(sequence) },
  };
}

describe('outOfOrderKeys', () => {
  it('accepts a republished batch that repeats events after newer ones', () => {
    const records = [
      record('users', 'u1', 'a', 1),
      record('users', 'u1', 'b', 2),
      record('users', 'u1', 'a', 1),
      record('users', 'u1', 'b', 2),
      record('users', 'u1', 'c', 3),
    ];
    expect(outOfOrderKeys(records)).toEqual([]);
  });

  it('names a key whose first deliveries go backwards', () => {
    const records = [record('users', 'u1', 'b', 2), record('users', 'u1', 'a', 1), record('users', 'u2', 'x', 1)];
    expect(outOfOrderKeys(records)).toEqual(['users/u1']);
  });

  it('judges each topic on its own, tombstones aside', () => {
    const tombstone: ReceivedRecord = { ...record('users', 'u1', 't', 0), value: null, headers: {} };
    const records = [record('users', 'u1', 'a', 1), tombstone, record('groups', 'u1', 'g', 1)];
    expect(outOfOrderKeys(records)).toEqual([]);
  });
});

describe('unexpectedErrors', () => {
  it('names a 500 and a crash in an app log, and nothing else', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'chaos-checks-')), 'auth-1.log');
    const lines = [
      '\u001b[33m[Nest] 7  - 11/26/2026, 11:24:37 AM    WARN\u001b[39m [ProblemFilter] dependency unavailable: Connection terminated',
      '[Nest] 7  - 11/26/2026, 11:24:38 AM   ERROR [ProblemFilter] TypeError: boom',
      '    at handler (app.js:1:1)',
      '[Nest] 7  - 11/26/2026, 11:24:39 AM     LOG [auth] listening',
      'node:events:497',
      "      throw er; // Unhandled 'error' event",
      'error: terminating connection due to administrator command',
      '',
      'Node.js v20.20.2',
    ];
    writeFileSync(log, lines.join('\n'));

    const found = unexpectedErrors([log, log]);

    expect(found).toHaveLength(2);
    expect(found[0]).toContain('TypeError: boom');
    expect(found[1]).toContain("Unhandled 'error' event");
    expect(found[1]).not.toContain('listening');
  });
});
