// Keeps a burst from turning into an unbounded queue: beyond the limit, answer 503 at once.
import type { Context, Next } from 'koa';

export function concurrencyLimit(max: () => number) {
  let inFlight = 0;
  const done = () => {
    inFlight--;
  };
  return function limitConcurrency(ctx: Context, next: Next): Promise<void> {
    if (inFlight >= max()) {
      ctx.set('Retry-After', '1');
      ctx.throw(503, 'the agent is busy; try again in a moment', { expose: true });
    }
    inFlight++;
    // koa-compose never throws from next(): a failure is a rejected promise, so this always runs.
    return next().finally(done);
  };
}
