// One place turns every failure into the JSON error core and people see. Only messages written
// for the caller (Koa's `expose`) leave the process; everything else becomes a generic 500.
import type { Context, Next } from 'koa';
import { BillingDataError, BillingUnavailableError } from '../billing/source.js';
import type { Logger } from '../logging/logger.js';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  421: 'misdirected_request',
  429: 'too_many_requests',
  501: 'not_implemented',
  502: 'billing_data_error',
  503: 'service_unavailable',
};

/** Seconds core is asked to wait before retrying after a billing outage. */
const OUTAGE_RETRY_AFTER = '30';

interface HttpLikeError {
  status?: number;
  expose?: boolean;
  message?: string;
  headers?: Record<string, string>;
}

export function errorHandler(log: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      // The router leaves these without a body; give them the same JSON shape as every error.
      if (ctx.body == null) {
        if (ctx.status === 404) ctx.throw(404, `there is no ${ctx.method} ${ctx.path} endpoint`);
        if (ctx.status === 405) ctx.throw(405, `${ctx.path} accepts ${ctx.response.get('Allow')} only`);
        if (ctx.status === 501) ctx.throw(501, `the ${ctx.method} method is not supported`, { expose: true });
      }
    } catch (err) {
      if (err instanceof BillingUnavailableError) {
        log.warn({ err: err.message, path: ctx.path }, 'billing unavailable');
        ctx.set('Retry-After', OUTAGE_RETRY_AFTER);
        return send(ctx, 503, 'billing_unavailable', 'The billing system cannot be reached right now; try again later.');
      }
      if (err instanceof BillingDataError) {
        log.error({ err: err.message, path: ctx.path }, 'billing data cannot be mapped');
        return send(ctx, 502, 'billing_data_error', 'The billing holds data for this request that cannot be served; the agent\'s log names it.');
      }
      const e = (err ?? {}) as HttpLikeError;
      const status = typeof e.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500;
      if (status >= 500 && !e.expose) {
        log.error({ err }, 'request failed');
        return send(ctx, 500, 'internal_error', 'The agent failed to answer; its log has the details.');
      }
      if (e.headers) ctx.set(e.headers);
      send(ctx, status, CODES[status] ?? 'error', e.message || 'request refused');
    }
  };
}

function send(ctx: Context, status: number, error: string, message: string): void {
  ctx.status = status;
  ctx.body = { error, message };
}
