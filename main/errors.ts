// One place turns every failure into what the caller is told: the public API's error handler,
// the admin API, the IPC channel and in-process calls all answer through toWire. Only messages
// written for the caller leave the process (ExposedError, Koa's `expose`); anything else is
// logged and becomes a generic 500.
import { ExposedError, codeFor, type WireError } from '../shared/wire.js';
import type { Logger } from './logging/logger.js';

export interface Wire {
  status: number;
  body: WireError;
  headers?: Readonly<Record<string, string>>;
}

/** What Koa's ctx.throw and http-errors give: a status, and whether its message is for the caller. */
interface HttpLikeError {
  status?: number;
  expose?: boolean;
  message?: string;
  headers?: Record<string, string>;
}

const INTERNAL: WireError = { error: 'internal_error', message: 'The agent failed to answer; its log has the details.' };

/** `context` (the path, the operation) goes into the log line of a failure that is logged. */
export function toWire(err: unknown, log?: Logger, context: Record<string, unknown> = {}): Wire {
  if (err instanceof ExposedError) {
    if (err.logAs) log?.[err.logAs.level]({ err: err.message, ...context }, err.logAs.msg);
    return { status: err.status, body: { error: err.code, message: err.publicMessage }, headers: err.headers };
  }
  const e = (err ?? {}) as HttpLikeError;
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
  if (status >= 500 && !e.expose) {
    log?.error({ err, ...context }, 'request failed');
    return { status: 500, body: INTERNAL };
  }
  return { status, body: { error: codeFor(status), message: e.message || 'request refused' }, headers: e.headers };
}
