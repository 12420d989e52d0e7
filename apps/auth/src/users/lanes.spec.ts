import { Lanes, LanesFull } from './lanes';

/** A task that runs until `finish()` is called; `started` says whether it has begun. */
function task<T>(value: T) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const state = { started: false, finish };
  const run = async () => {
    state.started = true;
    await done;
    return value;
  };
  return { state, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Lanes', () => {
  it('runs at most `lanes` tasks at once and starts the waiting ones in arrival order', async () => {
    const lanes = new Lanes(2, 10);
    const tasks = [1, 2, 3, 4].map(task);
    const results = tasks.map((t) => lanes.run(t.run));
    await settle();
    expect(tasks.map((t) => t.state.started)).toEqual([true, true, false, false]);

    tasks[1].state.finish();
    await settle();
    expect(tasks.map((t) => t.state.started)).toEqual([true, true, true, false]);

    tasks[0].state.finish();
    await settle();
    expect(tasks[3].state.started).toBe(true);
    tasks[2].state.finish();
    tasks[3].state.finish();
    await expect(Promise.all(results)).resolves.toEqual([1, 2, 3, 4]);
  });

  it('refuses at once past the queue, and takes tasks again once the queue has room', async () => {
    const lanes = new Lanes(1, 1);
    const [running, queued] = [task('a'), task('b')];
    const first = lanes.run(running.run);
    const second = lanes.run(queued.run);
    await expect(lanes.run(async () => 'c')).rejects.toBeInstanceOf(LanesFull);

    running.state.finish();
    await expect(first).resolves.toBe('a');
    const third = lanes.run(async () => 'c');
    queued.state.finish();
    await expect(Promise.all([second, third])).resolves.toEqual(['b', 'c']);
  });

  it('frees the lane of a task that fails', async () => {
    const lanes = new Lanes(1, 0);
    await expect(lanes.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lanes.run(async () => 'next')).resolves.toBe('next');
  });
});
