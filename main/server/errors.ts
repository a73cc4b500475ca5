// The Koa end of toWire (main/errors.ts): every failure becomes the JSON error core and people
// see, with its status and headers.
import type { Context, Next } from 'koa';
import { toWire } from '../errors.js';
import type { Logger } from '../logging/logger.js';

export function errorHandler(log: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      // The route table leaves these without a body; give them the same JSON shape as every error.
      if (ctx.body == null) {
        if (ctx.status === 404) ctx.throw(404, `there is no ${ctx.method} ${ctx.path} endpoint`);
        if (ctx.status === 405) ctx.throw(405, `${ctx.path} accepts ${ctx.response.get('Allow')} only`);
        if (ctx.status === 501) ctx.throw(501, `the ${ctx.method} method is not supported`, { expose: true });
      }
    } catch (err) {
      const wire = toWire(err, log, { path: ctx.path });
      if (wire.headers) ctx.set(wire.headers);
      ctx.status = wire.status;
      ctx.body = wire.body;
    }
  };
}
