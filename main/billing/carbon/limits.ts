// Keeps the agent gentle with Carbon: a counting semaphore whose waiters give up after a while
// (single-flight is shared with the billing guard).

export class BusyError extends Error {
  override name = 'BusyError';
}

/** At most `size` holders at once; the rest wait in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ grant: () => void; timer?: NodeJS.Timeout }> = [];

  constructor(private readonly size: number) {}

  get inUse(): number {
    return this.active;
  }

  /** Resolves with a release function; rejects with BusyError after `waitMs` in the queue. */
  acquire(waitMs?: number): Promise<() => void> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry: { grant: () => void; timer?: NodeJS.Timeout } = {
        grant: () => {
          if (entry.timer) clearTimeout(entry.timer);
          resolve(this.releaser());
        },
      };
      if (waitMs !== undefined) {
        entry.timer = setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new BusyError(`waited ${waitMs} ms for a free slot`));
        }, waitMs);
      }
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next.grant();
      else this.active--;
    };
  }
}

export { SingleFlight } from '../single-flight.js';
