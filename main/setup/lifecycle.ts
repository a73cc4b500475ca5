// What the agent started, in order, and how to undo each piece: stop() undoes everything in
// reverse order, and a start that fails part way undoes what had started.
import type { Logger } from '../logging/logger.js';

export class Lifecycle {
  private readonly parts: Array<{ name: string; stop: () => unknown }> = [];

  /** Registers what undoes a piece that has just started. */
  add(name: string, stop: () => unknown): void {
    this.parts.push({ name, stop });
  }

  /** Stops every piece, newest first; one that fails to stop is logged and the rest still stop. */
  async stop(log?: Logger): Promise<void> {
    for (const part of this.parts.splice(0).reverse()) {
      try {
        await part.stop();
      } catch (err) {
        log?.error({ err, part: part.name }, 'a part of the agent did not stop cleanly');
      }
    }
  }
}
