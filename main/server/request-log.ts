// One log line per request (method, path, status, duration, client) and, on the API port, the
// request metrics. Both are written once the response has gone out ('close'), so logging never
// delays an answer. Bodies and query strings are never logged (they carry passwords and
// subscriber ids).
import type { Context, Next } from 'koa';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics.js';

export interface RequestLogOptions {
  /** The admin port logs its (frequent, polled) successes at debug. */
  successLevel?: 'info' | 'debug';
  /** Counts requests by route (the route pattern, never the raw path with ids) and status. */
  metrics?: Metrics;
}

export function requestLog(log: Logger, options: RequestLogOptions = {}) {
  const success = options.successLevel ?? 'info';
  const { metrics } = options;
  const record = (ctx: Context, started: number): void => {
    const ms = performance.now() - started;
    // 'close' without a finished response: the client went away before the answer was sent,
    // logged and counted as 499 (nginx's "client closed request"), not Koa's default 404.
    const aborted = !ctx.res.writableFinished;
    const status = aborted ? 499 : ctx.status;
    if (metrics) metrics.countRequest(typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched', status, ms / 1000);
    const level = status >= 500 ? 'error' : status >= 400 || aborted ? 'warn' : success;
    if (!log.isLevelEnabled(level)) return;
    log[level]({
      method: ctx.method,
      path: ctx.path,
      status,
      ms: Math.round(ms * 10) / 10,
      client: ctx.state.clientAddress ?? ctx.req.socket.remoteAddress,
      ...(aborted && { aborted: true }),
    }, 'request');
  };
  return function logRequest(ctx: Context, next: Next): Promise<void> {
    const started = performance.now();
    ctx.res.on('close', () => record(ctx, started));
    return next();
  };
}
