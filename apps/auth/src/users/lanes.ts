/** Raised by Lanes.run when every lane is busy and the queue is full. */
export class LanesFull extends Error {
  constructor() {
    super('every lane is busy and the queue is full');
  }
}

/**
 * Runs at most `lanes` tasks at once; up to `queue` more wait their turn, in order, and past that
 * `run` refuses at once (LanesFull) instead of letting the wait grow without bound.
 */
export class Lanes {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly lanes: number,
    private readonly queue: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.lanes) this.running++;
    else if (this.waiting.length < this.queue) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else throw new LanesFull();
    try {
      return await task();
    } finally {
      // The lane passes straight to the next in line, so a task arriving now cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
