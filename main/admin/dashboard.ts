// Serves the built dashboard (renderer/dist) from the admin port, so a browser on this machine can
// open http://127.0.0.1:<admin port>/#token=… (or #code=…, see below). Only GET and HEAD of files
// inside dist; everything else (the /admin/ operations, probes, unknown paths) goes on to the
// next middleware.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import { readJsonBody } from '../server/body.js';
import { parseOr400 } from '../server/validate.js';
import type { OneTimeCodes, Redeemed } from './one-time-codes.js';

/** Same policy as the page's meta tag; the Electron shell sends it too (main/shell/security.ts). */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Billing Bridge</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>The dashboard is not built</h1>
<p>The dashboard is not built: run <code>npm run build:renderer</code> in the Billing Bridge folder, then reload this page.</p>
<p>The agent itself is running; the command line (<code>billing-bridge</code>) works meanwhile.</p>
</body></html>
`;

function securityHeaders(ctx: Context): void {
  ctx.set('Content-Security-Policy', DASHBOARD_CSP);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
}

/** The file a request path names inside `root`, or null for anything that could step outside. */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  // No dot segments at all: "..", and hidden files such as .git or .env.
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return null;
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

async function isFile(file: string, realRoot: string): Promise<{ size: number; mtime: Date } | null> {
  try {
    // A symlink inside dist must not lead outside it.
    const real = await realpath(file);
    if (!real.startsWith(realRoot + path.sep)) return null;
    const info = await stat(real);
    return info.isFile() ? { size: info.size, mtime: info.mtime } : null;
  } catch {
    return null;
  }
}

export function serveDashboard(distDir: string) {
  const root = path.resolve(distDir);
  return async (ctx: Context, next: Next): Promise<void> => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/admin/')) return next();
    const file = resolveInside(root, ctx.path);
    if (file === null) return next();

    let realRoot: string | null;
    try {
      realRoot = await realpath(root);
    } catch {
      realRoot = null;
    }
    if (realRoot === null) {
      // Only the page itself says so; other paths fall through to the usual 401/404.
      if (ctx.path !== '/' && ctx.path !== '/index.html') return next();
      securityHeaders(ctx);
      ctx.status = 503;
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = NOT_BUILT;
      return;
    }

    const info = await isFile(file, realRoot);
    if (info === null) return next();
    securityHeaders(ctx);
    ctx.type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Vite names assets by content hash, so they never change; the page itself is always re-read.
    ctx.set('Cache-Control', relativeIsAsset(root, file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.lastModified = info.mtime;
    ctx.length = info.size;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    // HEAD: Koa answers the headers alone (ctx.body = null would turn the status into 204).
    if (ctx.method === 'GET') ctx.body = createReadStream(file);
  };
}

function relativeIsAsset(root: string, file: string): boolean {
  return path.relative(root, file).split(path.sep)[0] === 'assets';
}

const CodeInput = z.strictObject({ code: z.string().min(1).max(200) });

const NOT_REDEEMED: Record<Exclude<Redeemed, 'ok'>, string> = {
  used: 'this dashboard code was used already',
  expired: 'this dashboard code has expired (codes are valid for a minute)',
  unknown: 'this dashboard code is not known to the agent',
};

/**
 * POST /token {"code"} → {"token"}: the page opened by `dashboard --open` trades its one-time
 * code for the admin token. Only the page itself may ask (a same-origin fetch, or a client that
 * is not a browser); the answer is never cached.
 */
export function redeemDashboardCode(codes: OneTimeCodes, token: string, log: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.path !== '/token') return next();
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      ctx.throw(405, 'a dashboard code is redeemed with POST');
    }
    const site = ctx.get('Sec-Fetch-Site');
    if (site !== '' && site !== 'same-origin') ctx.throw(403, 'only the dashboard page itself may redeem a code');
    const { code } = parseOr400(ctx, CodeInput, await readJsonBody(ctx));
    const result = codes.redeem(code);
    if (result === 'used') {
      log.warn('a dashboard code was presented again after it had been used: if the dashboard was not opened twice from one link, '
        + 'someone else on this machine may have had it; delete admin-token in the data directory and restart the agent for a new token');
    }
    if (result !== 'ok') ctx.throw(401, `${NOT_REDEEMED[result]}: run billing-bridge dashboard --open again`);
    log.info('the browser dashboard was opened with a one-time code');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token };
  };
}
