import { until } from './eventually';

describe('until', () => {
  it('resolves with the first value the probe returns', async () => {
    let calls = 0;
    const value = await until('the third call', () => (++calls === 3 ? 'ready' : undefined), 5_000, 1);
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails at the first error the probe throws, without polling again', async () => {
    let calls = 0;
    const probe = () => {
      calls++;
      throw new Error('connection refused');
    };
    await expect(until('never', probe, 60_000, 1)).rejects.toThrow('connection refused');
    expect(calls).toBe(1);
  });

  it('fails at the deadline, naming what did not happen and how far it got', async () => {
    let seen = 0;
    const probe = () => {
      seen++;
      return undefined;
    };
    await expect(until(() => `ten rows (${seen} polls)`, probe, 20, 1)).rejects.toThrow(
      /^ten rows \(\d+ polls\) within 20 ms$/,
    );
  });
});
