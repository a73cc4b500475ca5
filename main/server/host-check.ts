// Which names the agent answers for (DNS rebinding). A web page opened on the billing host can
// point a name it owns at 127.0.0.1 and then read this machine's ports as if they were its own
// origin. The browser still sends that name in Host, so the API serves only IP literals,
// localhost and the names listed in server.hostnames, and the admin port only its own loopback
// address. Both refuse before any other work.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';
import type { Logger } from '../logging/logger.js';

export interface HostName {
  /** Lower case, without brackets or a trailing dot. */
  name: string;
  port: number | null;
}

const NAME = /^[a-z0-9_.-]+$/;

/** `host[:port]` as sent in Host (or an absolute URL's authority); null when it is malformed. */
export function parseHost(value: string): HostName | null {
  let name: string;
  let rest: string;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return null;
    name = value.slice(1, close);
    if (isIP(name) !== 6) return null;
    rest = value.slice(close + 1);
  } else {
    const colon = value.indexOf(':');
    name = colon < 0 ? value : value.slice(0, colon);
    rest = colon < 0 ? '' : value.slice(colon);
    name = name.toLowerCase();
    if (name.endsWith('.')) name = name.slice(0, -1);
    if (!NAME.test(name)) return null;
  }
  if (rest === '' || rest === ':') return { name, port: null };
  if (!/^:\d{1,5}$/.test(rest)) return null;
  const port = Number(rest.slice(1));
  return port <= 65_535 ? { name, port } : null;
}

/**
 * The authority the request names: Host, or the absolute URL's authority when the request line
 * has one (RFC 9112 §3.2.2). Null when there is nothing to check: HTTP/1.0 without Host, which
 * no browser sends.
 */
function authority(ctx: Context): string | null {
  const req: IncomingMessage = ctx.req;
  const url = req.url ?? '/';
  if (url.charCodeAt(0) !== 47 /* "/" */ && url !== '*') {
    try {
      const absolute = new URL(url);
      if (absolute.host !== '') return absolute.host;
    } catch {
      ctx.throw(400, 'the request target is not a valid path or URL');
    }
  }
  const host = req.headers.host;
  if (host !== undefined && host !== '') return host;
  if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) ctx.throw(400, 'the request has no Host header (HTTP/1.1 requires one)');
  return null;
}

function hostOr400(ctx: Context, value: string): HostName {
  const host = parseHost(value);
  if (!host) ctx.throw(400, 'the Host header is not a valid host name or address');
  return host;
}

const CACHED = 256;
const WARNED = 64;

/**
 * The public API: an IP literal, localhost, or a name from server.hostnames (any port: core may
 * dial a port the router forwards). Decisions are cached per authority, since core sends the same
 * one every time; the cache starts over when the list changes.
 */
export function apiHostCheck(hostnames: () => readonly string[], log: Logger) {
  let list: readonly string[] | null = null;
  let names = new Set<string>();
  /** Authority → true when accepted, else the name refused. */
  const decisions = new Map<string, true | string>();
  const warned = new Set<string>();
  const decide = (host: HostName): true | string => (isIP(host.name) !== 0 || host.name === 'localhost' || names.has(host.name) ? true : host.name.slice(0, 100));
  return function checkApiHost(ctx: Context, next: Next): Promise<void> {
    const current = hostnames();
    if (current !== list) {
      list = current;
      names = new Set(current.map((n) => n.toLowerCase().replace(/\.$/, '')));
      decisions.clear();
    }
    const value = authority(ctx);
    if (value === null) return next();
    let decision = decisions.get(value);
    if (decision === undefined) {
      decision = decide(hostOr400(ctx, value));
      if (decisions.size >= CACHED) decisions.clear();
      decisions.set(value, decision);
    }
    if (decision !== true) {
      if (!warned.has(decision) && warned.size < WARNED) {
        warned.add(decision);
        log.warn({ host: decision, client: ctx.state.clientAddress }, 'refused a request for a host name this agent does not know; if core calls the agent by this name, add it to server.hostnames');
      }
      ctx.throw(421, `this agent does not answer for the name "${decision}": call it by an IP address, localhost, or a name listed in its server.hostnames setting`);
    }
    return next();
  };
}

const ADMIN_NAMES = new Set(['127.0.0.1', '::1', 'localhost']);

/** The admin port: 127.0.0.1, [::1] or localhost, with the port the request arrived on. */
export function adminHostCheck() {
  return function checkAdminHost(ctx: Context, next: Next): Promise<void> {
    const value = authority(ctx);
    if (value !== null) {
      const host = hostOr400(ctx, value);
      const port = ctx.req.socket.localPort;
      if (!ADMIN_NAMES.has(host.name) || (host.port ?? 80) !== port) {
        ctx.throw(421, `the admin API answers only http://127.0.0.1:${port}, http://[::1]:${port} and http://localhost:${port}`);
      }
    }
    return next();
  };
}
