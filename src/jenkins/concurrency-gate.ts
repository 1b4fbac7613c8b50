/** At most `limit` tasks run at once; the rest wait in FIFO order. Tracks the highest in-flight count. */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  maxInFlight = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('concurrency must be a positive integer');
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    if (this.running > this.maxInFlight) this.maxInFlight = this.running;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next task
      else this.running--;
    }
  }
}
