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
    const line = (fields: object) => JSON.stringify({ time: '2026-11-26T11:24:37.000Z', service: 'auth', ...fields });
    const lines = [
      line({ level: 40, context: 'ProblemFilter', msg: 'dependency unavailable: Connection terminated' }),
      line({
        level: 50,
        context: 'ProblemFilter',
        err: { stack: 'TypeError: boom\n    at handler (app.js:1:1)' },
        msg: 'boom',
      }),
      line({ level: 50, context: 'kafkajs outbox', msg: 'a broker error the relay retries' }),
      line({ level: 30, context: 'auth', msg: 'listening' }),
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
    expect(found[0]).toContain('at handler (app.js:1:1)');
    expect(found[1]).toContain("Unhandled 'error' event");
    expect(found[1]).not.toContain('listening');
  });
});
