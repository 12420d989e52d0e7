import { eventually } from '../../../test/support/eventually';
import { ConsumerRestarts, RestartableConsumer } from './consumer-restarts';

/** A consumer whose start() fails the first `failures` times; it records what was asked of it. */
function consumer(failures: number) {
  const calls: string[] = [];
  let failed = 0;
  const fake: RestartableConsumer = {
    start: async () => {
      calls.push('start');
      if (failed++ < failures) throw new Error('broker unreachable');
    },
    disconnect: async () => void calls.push('disconnect'),
    failed: (error) => calls.push(`failed: ${error.message}`),
  };
  return { fake, calls };
}

describe('ConsumerRestarts', () => {
  it('retries a failed start, disconnecting first, until the consumer starts', async () => {
    const { fake, calls } = consumer(2);
    const restarts = new ConsumerRestarts(fake);
    restarts.begin();
    await eventually(() => expect(calls.filter((c) => c === 'start')).toHaveLength(3));
    expect(calls).toEqual([
      'start',
      'disconnect',
      'failed: broker unreachable',
      'start',
      'disconnect',
      'failed: broker unreachable',
      'start',
    ]);
    await restarts.stop();
  });

  it('starts over after a crash: disconnects, then starts again', async () => {
    const { fake, calls } = consumer(0);
    const restarts = new ConsumerRestarts(fake);
    restarts.begin();
    await eventually(() => expect(calls).toEqual(['start']));
    restarts.afterCrash();
    // The first restart waits the crash backoff (0.5-1 s).
    await eventually(() => expect(calls).toEqual(['start', 'disconnect', 'start']), 5_000);
    await restarts.stop();
  });

  it('stops retrying at once when stopped while waiting between attempts', async () => {
    const { fake, calls } = consumer(Infinity);
    const restarts = new ConsumerRestarts(fake);
    restarts.begin();
    await eventually(() => expect(calls).toContain('failed: broker unreachable'));
    const stopping = Date.now();
    await restarts.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    const attempts = calls.length;
    restarts.afterCrash(); // ignored once stopped
    expect(calls).toHaveLength(attempts);
  });
});
