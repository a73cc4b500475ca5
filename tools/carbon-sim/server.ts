// HTTP front of the simulator: REST API v2, system_api, the IP allow-list and the fault switches.
// Plain node:http, so faults (socket resets, truncated bodies) are fully under our control.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { runCalls, type Api, type Call, type EngineContext } from './api.js';
import { SimError } from './values.js';

export interface Faults {
  /** Wait this long before answering (or before resetting). */
  delayMs: number;
  /** Destroy the socket without answering. */
  reset: boolean;
  /** Answer 200 `{"error": errorBody}` for every call. */
  errorBody: string | null;
  /** Answer 200 with the real body cut in half (invalid JSON). */
  malformedJson: boolean;
  /** Answer HTTP 500 with Django's HTML error page. */
  http500: boolean;
  /** null: faults apply to every call; N: only to the next N calls, then they clear themselves. */
  times: number | null;
}

export const noFaults = (): Faults => ({
  delayMs: 0,
  reset: false,
  errorBody: null,
  malformedJson: false,
  http500: false,
  times: null,
});

export interface CallRecord {
  /** The model as the caller wrote it (URL segment or `model=`). */
  model: string;
  methods: string[];
  /** The argN texts as sent. */
  args: string[];
  /** Date.now() when the request arrived. */
  at: number;
  api: Api;
}

/** How `GET /rest_api/v2/` lists the models (the real body format is not public). */
export type ListingFormat = 'json' | 'html' | 'text' | 'none';

export interface ServerState extends EngineContext {
  faults: Faults;
  calls: CallRecord[];
  /** null = everyone may call; otherwise only these remote addresses. */
  allowIps: string[] | null;
  /** system_api contexts and their `psw` (null: none asked). */
  contexts: Map<string, string | null>;
  listing: ListingFormat;
}

/** The model listing: every model with the names its lookups accept, in the chosen format. */
export function renderListing(state: ServerState): { type: string; body: string } {
  const models = state.db.schema.models.map((m) => ({ name: m.name, fields: state.db.schema.choices(m.name) }));
  if (state.listing === 'html') {
    const sections = models.map((m) => `<h2>${m.name}</h2>\n<ul>${m.fields.map((f) => `<li>${f}</li>`).join('')}</ul>`).join('\n');
    return { type: HTML, body: `<!DOCTYPE html><html><head><title>REST API v2</title></head><body><h1>REST API v2</h1>\n${sections}\n</body></html>` };
  }
  if (state.listing === 'text') return { type: 'text/plain; charset=utf-8', body: models.map((m) => `${m.name}: ${m.fields.join(', ')}`).join('\n') };
  return { type: JSON_TYPE, body: JSON.stringify(Object.fromEntries(models.map((m) => [m.name, m.fields]))) };
}

const MAX_BODY = 50 * 1024 * 1024;

const HEX = Buffer.from('0123456789abcdef');

/**
 * Python's json.dumps(ensure_ascii=True), as Carbon sends it: Cyrillic comes as \uXXXX escapes.
 * Written straight into a Buffer: this is the hot path of a 100,000-subscriber answer.
 */
export function pyJson(v: unknown): Buffer {
  const s = JSON.stringify(v);
  let wide = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) wide++;
  const buf = Buffer.allocUnsafe(s.length + wide * 5);
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) buf[o++] = c;
    else {
      buf[o++] = 0x5c; // \
      buf[o++] = 0x75; // u
      buf[o++] = HEX[c >> 12]!;
      buf[o++] = HEX[(c >> 8) & 15]!;
      buf[o++] = HEX[(c >> 4) & 15]!;
      buf[o++] = HEX[c & 15]!;
    }
  }
  return buf;
}

function normalizeIp(addr: string | undefined): string {
  if (!addr) return '';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json';

function collectCalls(params: URLSearchParams): Array<{ method: string; arg: string | null }> {
  const out: Array<{ method: string; arg: string | null }> = [];
  for (let i = 1; ; i++) {
    const method = params.get(`method${i}`);
    if (method === null) break;
    out.push({ method, arg: params.get(`arg${i}`) });
  }
  return out;
}

export interface SimServer {
  server: Server;
  /** Cancel pending delays and drop every connection. */
  shutdown(): Promise<void>;
}

export function createSimServer(state: ServerState): SimServer {
  const sleeps = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  let closing = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (closing) return resolve();
      const entry = {
        timer: setTimeout(() => {
          sleeps.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      sleeps.add(entry);
    });

  /** The faults for this call, consuming one from `times` if set. */
  function takeFaults(): Faults {
    const f = state.faults;
    const snapshot = { ...f };
    if (f.times !== null) {
      if (f.times <= 0) {
        Object.assign(f, noFaults());
        return noFaults();
      }
      f.times -= 1;
      if (f.times === 0) Object.assign(f, noFaults());
    }
    return snapshot;
  }

  /** Common tail of both APIs: record, apply faults, then answer with `compute()`'s body. */
  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    api: Api,
    model: string,
    calls: Array<{ method: string; arg: string | null }>,
    errorBody: (msg: string) => unknown,
    compute: () => unknown,
  ): Promise<void> {
    state.calls.push({ model, methods: calls.map((c) => c.method), args: calls.map((c) => c.arg ?? ''), at: Date.now(), api });
    const f = takeFaults();
    if (f.delayMs > 0) await sleep(f.delayMs);
    if (closing || res.destroyed) return;
    if (f.reset) {
      req.socket.destroy();
      return;
    }
    if (f.http500) {
      send(res, 500, HTML, '<h1>Server Error (500)</h1>');
      return;
    }
    let body: Buffer;
    if (f.errorBody !== null) body = pyJson(errorBody(f.errorBody));
    else {
      let value: unknown;
      try {
        value = compute();
      } catch (e) {
        value = errorBody(e instanceof SimError ? e.message : `Internal error: ${String(e)}`);
      }
      body = pyJson(value);
    }
    // Any strict prefix of a JSON object is invalid JSON.
    if (f.malformedJson) body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
    send(res, 200, JSON_TYPE, body);
  }

  function toCalls(raw: Array<{ method: string; arg: string | null }>): Call[] {
    return raw.map((c, i) => {
      if (c.arg === null) throw new SimError(`arg${i + 1} is required`);
      return { method: c.method, arg: c.arg };
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const ip = normalizeIp(req.socket.remoteAddress);
    if (state.allowIps && !state.allowIps.map(normalizeIp).includes(ip)) {
      send(res, 403, HTML, 'Access denied');
      return;
    }

    if (url.pathname === '/rest_api/v2/' && req.method === 'GET' && state.listing !== 'none') {
      state.calls.push({ model: '(listing)', methods: ['GET'], args: [], at: Date.now(), api: 'listing' });
      const { type, body } = renderListing(state);
      send(res, 200, type, body);
      return;
    }

    const rest = /^\/rest_api\/v2\/([^/]+)\/$/.exec(url.pathname);
    if (rest) {
      if (req.method !== 'POST') {
        send(res, 405, HTML, 'Method Not Allowed');
        return;
      }
      const path = url.pathname;
      const model = decodeURIComponent(rest[1]!);
      const text = await readBody(req);
      // Like Django's request.POST: only a form-encoded body is read.
      const type = String(req.headers['content-type'] ?? '').toLowerCase();
      const params = new URLSearchParams(type.startsWith('application/x-www-form-urlencoded') ? text : '');
      const raw = collectCalls(params);
      const fields = params.get('fields') ?? undefined;
      await answer(
        req,
        res,
        'rest',
        model,
        raw,
        (msg) => ({ call: path, error: msg }),
        () => ({ call: path, result: runCalls(state, model, toCalls(raw), fields, 'rest') }),
      );
      return;
    }

    if (url.pathname === '/system_api/') {
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST') {
        const text = await readBody(req);
        for (const [k, v] of new URLSearchParams(text)) if (!params.has(k)) params.set(k, v);
      }
      const model = params.get('model') ?? '';
      const raw = collectCalls(params);
      await answer(
        req,
        res,
        'system',
        model,
        raw,
        (msg) => ({ error: msg }),
        () => {
          const context = params.get('context') ?? '';
          const psw = state.contexts.get(context);
          if (psw === undefined) throw new SimError(`Context=${context} is not defined`);
          if (psw !== null && params.get('psw') !== psw) throw new SimError(`Access denied: wrong psw for context ${context}`);
          return runCalls(state, model, toCalls(raw), params.get('fields') ?? undefined, 'system');
        },
      );
      return;
    }

    // Django without a matching URL (including /rest_api/v2/<Model> without the trailing slash).
    send(res, 404, HTML, '<h1>Not Found</h1><p>The requested resource was not found on this server.</p>');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      send(res, 500, HTML, `<h1>Server Error (500)</h1><!-- ${String(e)} -->`);
    });
  });

  return {
    server,
    async shutdown() {
      closing = true;
      for (const s of sleeps) {
        clearTimeout(s.timer);
        s.done();
      }
      sleeps.clear();
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
