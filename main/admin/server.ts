// The loopback admin API: POST /admin/<operation> with the operation's JSON input, answered with
// its output. Only loopback clients holding the token get in; the port is never bound beyond
// 127.0.0.1, and answers only requests addressed to it by its loopback name (host-check.ts).
import Koa from 'koa';
import type { Context, Next } from 'koa';
import { AdminContract, type AdminHandlers, type AdminOp, type CheckItem } from '../../shared/admin.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics.js';
import { openApiJson } from '../openapi.js';
import { readJsonBody } from '../server/body.js';
import { errorHandler } from '../server/errors.js';
import { adminHostCheck } from '../server/host-check.js';
import { parseAddress } from '../../shared/ip-ranges.js';
import { requestLog } from '../server/request-log.js';
import { parseOr400 } from '../server/validate.js';
import { redeemDashboardCode, serveDashboard } from './dashboard.js';
import type { OneTimeCodes } from './one-time-codes.js';
import { tokensEqual } from './token.js';

export const ADMIN_HOST = '127.0.0.1';

function loopbackOnly() {
  return async (ctx: Context, next: Next): Promise<void> => {
    const addr = parseAddress(ctx.req.socket.remoteAddress);
    if (!addr || addr.range() !== 'loopback') ctx.throw(403, 'the admin API answers this machine only');
    await next();
  };
}

function bearer(token: string) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const match = /^Bearer (.+)$/.exec(ctx.get('Authorization'));
    if (!match || !tokensEqual(match[1]!, token)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.throw(401, 'the admin token is missing or wrong (it is in the data directory, file admin-token)');
    }
    await next();
  };
}

export interface Readiness {
  ready: boolean;
  checks: CheckItem[];
}

export interface AdminAppOptions {
  token: string;
  handlers: AdminHandlers;
  log: Logger;
  /** GET /readyz: billing reachable, database writable. */
  readiness?: () => Promise<Readiness>;
  /** GET /metrics in Prometheus' text format. */
  metrics?: Metrics;
  /** The built dashboard (renderer/dist), served at / to browsers on this machine. */
  dashboardDir?: string;
  /** One-time codes the dashboard trades for the token at POST /token (made by dashboard.code). */
  dashboardCodes?: OneTimeCodes;
}

/** Probes for service managers and monitoring: loopback only, no token, nothing secret. */
function probes(options: AdminAppOptions) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
    } else if (ctx.path === '/readyz') {
      const readiness = options.readiness ? await options.readiness() : { ready: true, checks: [] };
      ctx.status = readiness.ready ? 200 : 503;
      ctx.body = readiness;
    } else if (ctx.path === '/metrics' && options.metrics) {
      ctx.type = options.metrics.registry.contentType;
      ctx.body = await options.metrics.registry.metrics();
    } else if (ctx.path === '/openapi.json') {
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = openApiJson();
    } else {
      await next();
    }
  };
}

export function createAdminApp(options: AdminAppOptions): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true;
  app.use(requestLog(options.log, { successLevel: 'debug' }));
  app.use(errorHandler(options.log));
  app.use(loopbackOnly());
  app.use(adminHostCheck());
  app.use(probes(options));
  if (options.dashboardDir) app.use(serveDashboard(options.dashboardDir));
  if (options.dashboardCodes) app.use(redeemDashboardCode(options.dashboardCodes, options.token, options.log));
  app.use(bearer(options.token));
  app.use(async (ctx) => {
    const match = /^\/admin\/([a-z][a-zA-Z.]*)$/.exec(ctx.path);
    const op = match?.[1];
    if (!op || !Object.hasOwn(AdminContract, op)) ctx.throw(404, `there is no admin operation ${ctx.path}`);
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      ctx.throw(405, 'admin operations are called with POST');
    }
    const name = op as AdminOp;
    const input = parseOr400(ctx, AdminContract[name].input, await readJsonBody(ctx, { empty: {} }));
    const handler = options.handlers[name] as (input: unknown) => Promise<unknown>;
    ctx.body = { result: await handler(input) };
  });
  return app;
}
