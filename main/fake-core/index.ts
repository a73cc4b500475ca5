// A small stand-in for core's callback endpoints (spec §3), for people trying the agent and for
// tests: it accepts POST /api/v1/mb/callback/contract|charge, checks Basic auth when credentials
// are given, and lists what arrived at GET /received. Switches make it fail (with a status, a
// Retry-After, a delay) so retries can be watched. It listens on 127.0.0.1 unless told otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_PATHS, ChargeCallback, ContractCallback } from '../../shared/data-provider.js';

export interface FakeCoreSwitches {
  /** Expected Basic credentials; when login is set, anything else gets 401. */
  login?: string;
  password?: string;
  /** Answer callbacks with this status instead of 200 (e.g. 503, 429, 401). */
  failWith?: number | null;
  /** Fail only this many more callbacks, then accept again (default: until switched off). */
  failTimes?: number | null;
  /** Retry-After header sent with failures (seconds or an HTTP date). */
  retryAfter?: string | null;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface FakeCoreOptions extends FakeCoreSwitches {
  host?: string;
  port?: number;
  /** Called for every callback request, accepted or not. */
  onCallback?: (entry: ReceivedCallback) => void;
}

export interface ReceivedCallback {
  at: string;
  kind: 'contract' | 'charge';
  path: string;
  body: Record<string, unknown>;
  /** What the fake core answered. */
  status: number;
  /** The Basic login sent, if any (never the password). */
  login: string | null;
}

export interface FakeCore {
  url: string;
  port: number;
  /** Callbacks answered with 2xx, in arrival order. */
  readonly received: ReceivedCallback[];
  /** Every callback request, including refused ones. */
  readonly attempts: ReceivedCallback[];
  set(switches: FakeCoreSwitches): void;
  clear(): void;
  /** Resolves once `predicate` holds for the received list; rejects after `timeoutMs`. */
  waitFor(predicate: (received: ReceivedCallback[]) => boolean, timeoutMs?: number): Promise<ReceivedCallback[]>;
  close(): Promise<void>;
}

const KINDS: Record<string, 'contract' | 'charge'> = {
  [CALLBACK_PATHS.contract]: 'contract',
  [CALLBACK_PATHS.charge]: 'charge',
};

export async function startFakeCore(options: FakeCoreOptions = {}): Promise<FakeCore> {
  const switches: FakeCoreSwitches = { failWith: null, failTimes: null, retryAfter: null, delayMs: 0 };
  const apply = (s: FakeCoreSwitches) => {
    for (const [key, value] of Object.entries(s)) if (value !== undefined) (switches as Record<string, unknown>)[key] = value;
  };
  apply(options);
  const received: ReceivedCallback[] = [];
  const attempts: ReceivedCallback[] = [];
  const watchers = new Set<() => void>();

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://fake-core');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'GET' && url.pathname === '/received') return send(200, received);
      if (req.method === 'GET' && url.pathname === '/attempts') return send(200, attempts);
      if (req.method === 'DELETE' && url.pathname === '/received') {
        received.length = 0;
        attempts.length = 0;
        return send(200, { ok: true });
      }
      if (req.method === 'POST' && url.pathname === '/control') {
        try {
          apply(JSON.parse(text || '{}') as FakeCoreSwitches);
          return send(200, switches);
        } catch {
          return send(400, { error: 'bad_request', message: 'send a JSON object of switches' });
        }
      }
      const kind = KINDS[url.pathname];
      if (!kind) return send(404, { error: 'not_found', message: `no ${req.method} ${url.pathname} here` });
      if (req.method !== 'POST') return send(405, { error: 'method_not_allowed', message: 'callbacks are POSTed' });
      void answerCallback(kind, url.pathname, text, req, send);
    });
  });

  const answerCallback = async (
    kind: 'contract' | 'charge', path: string, text: string, req: http.IncomingMessage,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ) => {
    if (switches.delayMs) {
      let gone = false;
      const onClose = () => (gone = true);
      req.socket.once('close', onClose);
      await new Promise((r) => setTimeout(r, switches.delayMs));
      req.socket.off('close', onClose);
      // The sender gave up or died while we waited: it never saw an answer, so nothing arrived.
      if (gone) {
        const entry: ReceivedCallback = { at: new Date().toISOString(), kind, path, body: safeJson(text), status: 0, login: null };
        attempts.push(entry);
        options.onCallback?.(entry);
        return;
      }
    }
    const credentials = basic(req.headers.authorization);
    let body: Record<string, unknown> = {};
    let status = 200;
    let error: string | undefined;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      status = 400;
      error = 'the body is not JSON';
    }
    if (status === 200 && !(kind === 'contract' ? ContractCallback : ChargeCallback).safeParse(body).success) {
      status = 400;
      error = 'the body does not match spec §3';
    }
    if (status === 200 && switches.login && (credentials?.login !== switches.login || credentials.password !== (switches.password ?? ''))) {
      status = 401;
      error = 'wrong or missing Basic credentials';
    }
    const failing = switches.failWith !== null && switches.failWith !== undefined && (switches.failTimes === null || switches.failTimes === undefined || switches.failTimes > 0);
    if (status === 200 && failing) {
      status = switches.failWith!;
      error = 'failing on purpose';
      if (typeof switches.failTimes === 'number') switches.failTimes--;
    }
    const entry: ReceivedCallback = { at: new Date().toISOString(), kind, path, body, status, login: credentials?.login ?? null };
    attempts.push(entry);
    if (status >= 200 && status < 300) received.push(entry);
    options.onCallback?.(entry);
    const headers: Record<string, string> = status >= 400 && switches.retryAfter ? { 'Retry-After': switches.retryAfter } : {};
    if (status === 401) headers['WWW-Authenticate'] = 'Basic realm="core"';
    send(status, status < 300 ? { ok: true } : { error: 'refused', message: error ?? 'refused' }, headers);
    for (const w of watchers) w();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    received,
    attempts,
    set: apply,
    clear() {
      received.length = 0;
      attempts.length = 0;
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(received);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`fake core: condition not met within ${timeoutMs} ms; received ${received.length} callbacks: ${JSON.stringify(received.map((r) => [r.kind, r.body]))}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function safeJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function basic(header: string | undefined): { login: string; password: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return null;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? { login: text, password: '' } : { login: text.slice(0, colon), password: text.slice(colon + 1) };
}
