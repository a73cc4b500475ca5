// One log line per request: method, path, status, duration, client. Bodies and query strings are
// never logged (they carry passwords and subscriber ids).
import type { Context, Next } from 'koa';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics.js';

/** `successLevel`: the admin port logs its (frequent, polled) successes at debug. */
export function requestLog(log: Logger, options: { successLevel?: 'info' | 'debug' } = {}) {
  const success = options.successLevel ?? 'info';
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = ctx.status >= 500 ? 'error' : ctx.status >= 400 ? 'warn' : success;
      log[level]({
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round(ms * 10) / 10,
        client: ctx.state.clientAddress ?? ctx.req.socket.remoteAddress,
      }, 'request');
    }
  };
}

/** Counts requests by route (the route pattern, never the raw path with ids) and status. */
export function requestMetrics(metrics: Metrics) {
  return async function countRequest(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched';
      metrics.countRequest(route, ctx.status, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
