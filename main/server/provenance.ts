// Core calls the Data Provider API from a server; browsers mark what they send. Any web page can
// fire a request at a loopback or LAN address without reading the answer (a "no-cors" POST with
// a typeless body has no Content-Type and no preflight), which would be enough to lock
// subscribers out through /api/auth. So a request that carries an Origin, or a Sec-Fetch-Site
// other than "none" (typed in the address bar) or "same-origin", is refused before any billing
// work.
import type { Context, Next } from 'koa';

export function refuseBrowserRequests() {
  return function refuseBrowsers(ctx: Context, next: Next): Promise<void> {
    const headers = ctx.req.headers;
    const site = headers['sec-fetch-site'];
    if (headers.origin !== undefined || (site !== undefined && site !== 'none' && site !== 'same-origin')) {
      ctx.throw(403, 'requests sent by web pages are refused: the Data Provider API is for core\'s servers, not browsers');
    }
    return next();
  };
}
