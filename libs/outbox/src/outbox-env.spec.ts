import { outboxEnv } from './outbox-env';

describe('outboxEnv', () => {
  const linger = (value: string | undefined) => outboxEnv.safeParse({ OUTBOX_LINGER_MS: value });

  it('lingers 5 ms unless told otherwise, and accepts 0 to publish each commit at once', () => {
    expect(linger(undefined).data?.OUTBOX_LINGER_MS).toBe(5);
    expect(linger('0').data?.OUTBOX_LINGER_MS).toBe(0);
    expect(linger('20').data?.OUTBOX_LINGER_MS).toBe(20);
  });

  it.each(['', ' ', '-1', '2.5', 'abc', '1001'])('refuses OUTBOX_LINGER_MS=%j', (value) => {
    expect(linger(value).success).toBe(false);
  });
});
