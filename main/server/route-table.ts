// The public API's routes: a handful of fixed paths without parameters, found with one table
// lookup. @koa/router matched every route's regular expression and composed a middleware chain on
// each request, which cost about a sixth of the API's throughput in `npm run bench`.
import type { Context, Next } from 'koa';

export type Handler = (ctx: Context) => Promise<void>;

/** Methods Koa's router answered 405 for on a known path; anything else is 501. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface Route {
  /** The path as declared, reported to metrics as the route (never the raw path). */
  path: string;
  handlers: Map<string, Handler>;
  /** The Allow header: the methods this path answers. */
  allow: string;
}

export class RouteTable {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly prefix = '') {}

  get(path: string, handler: Handler): this {
    // A GET route answers HEAD as well (Node drops the body).
    return this.add(path, ['GET', 'HEAD'], handler);
  }

  post(path: string, handler: Handler): this {
    return this.add(path, ['POST'], handler);
  }

  /**
   * Koa middleware. Paths match without regard to case and with or without one trailing slash,
   * as the router did. An unknown path passes on (the error handler answers 404); a known path
   * with another method gets 405 (501 for a method HTTP does not define here) with an Allow
   * header; OPTIONS gets the Allow header alone.
   */
  middleware() {
    return (ctx: Context, next: Next): Promise<void> => {
      const route = this.routes.get(ctx.path) ?? this.routes.get(normalise(ctx.path));
      if (!route) return next();
      ctx._matchedRoute = route.path;
      const handler = route.handlers.get(ctx.method);
      if (handler) return handler(ctx);
      ctx.set('Allow', route.allow);
      if (ctx.method === 'OPTIONS') {
        ctx.status = 200;
        ctx.body = '';
      } else {
        ctx.status = KNOWN_METHODS.has(ctx.method) ? 405 : 501;
      }
      return Promise.resolve();
    };
  }

  private add(path: string, methods: string[], handler: Handler): this {
    const full = this.prefix + path;
    const key = normalise(full);
    const route = this.routes.get(key) ?? { path: full, handlers: new Map<string, Handler>(), allow: '' };
    for (const method of methods) {
      if (route.handlers.has(method)) throw new Error(`${method} ${full} is declared twice`);
      route.handlers.set(method, handler);
    }
    route.allow = [...route.handlers.keys()].join(', ');
    this.routes.set(key, route);
    return this;
  }
}

function normalise(path: string): string {
  const lower = path.toLowerCase();
  return lower.length > 1 && lower.endsWith('/') ? lower.slice(0, -1) : lower;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * An answer as UTF-8 JSON bytes with its type set. Given an object, Koa looks the JSON content
 * type up again and measures the serialised string's UTF-8 length on every response, then Node
 * encodes it once more to write it; a Buffer skips all three.
 */
export function sendJson(ctx: Context, value: unknown): void {
  ctx.set('Content-Type', JSON_TYPE);
  ctx.body = Buffer.from(JSON.stringify(value));
}
