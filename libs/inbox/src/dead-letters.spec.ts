import { Buffer } from 'node:buffer';
import { deadLetters, parseDeadLetter } from './dead-letters';

describe('a dead letter read back', () => {
  const message = {
    key: Buffer.from('user-1'),
    value: Buffer.from('{"userId":"user-1"}'),
    headers: { ce_id: Buffer.from('e1'), ce_type: Buffer.from('playball.user.registered.v1') },
    offset: '41',
    timestamp: '0',
    attributes: 0,
  };
  const why = { code: 'HANDLER.FAILED', reason: 'boom', firstFailureAt: new Date('2026-11-26T10:00:00Z') };
  const [whole, withoutValue] = deadLetters({ topic: 'p.auth.user.v1', partition: 3, message }, why);

  it('gives the reason, the origin and the original record, its headers without the reason headers', () => {
    expect(parseDeadLetter(whole)).toEqual({
      code: 'HANDLER.FAILED',
      reason: 'boom',
      firstFailureAt: '2026-11-26T10:00:00.000Z',
      origin: { topic: 'p.auth.user.v1', partition: 3, offset: '41' },
      omitted: null,
      record: { key: message.key, value: message.value, headers: message.headers },
    });
  });

  it('says what a letter left out to fit', () => {
    expect(parseDeadLetter(withoutValue)).toMatchObject({ omitted: 'value', record: { value: null } });
  });

  it('is null for a record without reason headers', () => {
    expect(parseDeadLetter(message)).toBeNull();
  });
});
