// Keeps a burst from turning into an unbounded queue: beyond the limit, answer 503 at once.
import type { Context, Next } from 'koa';

export function concurrencyLimit(max: () => number) {
  let inFlight = 0;
  const done = () => {
    inFlight--;
  };
  const failed = (err: unknown) => {
    inFlight--;
    throw err;
  };
  return function limitConcurrency(ctx: Context, next: Next): Promise<void> {
    if (inFlight >= max()) {
      ctx.set('Retry-After', '1');
      ctx.throw(503, 'the agent is busy; try again in a moment', { expose: true });
    }
    inFlight++;
    // koa-compose never throws from next(): a failure is a rejected promise, so one of the two
    // always runs (then() with both costs one promise; finally() several).
    return next().then(done, failed);
  };
}
