// The OpenAPI document's examples are real answers: the public API as the agent builds it, over
// the demo billing on a fixed date, asked on loopback for every case the document describes
// (successes, each error, the failures of the billing). Nothing is typed by hand, so an example
// cannot drift from what is served; a case that no longer answers as expected stops generation.
import http from 'node:http';
import net from 'node:net';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { BillingDataError, type BillingSource } from '../../main/billing/source.js';
import { silentLogger } from '../../main/logging/logger.js';
import { PasswordGuard } from '../../main/security/password-guard.js';
import { AccessControl } from '../../main/server/access.js';
import { createApiApp } from '../../main/server/app.js';
import type { InboundAuth } from '../../main/server/inbound-auth.js';
import { listen, type RunningServer } from '../../main/server/listen.js';
import { openState } from '../../main/state/index.js';

/** The demo's charges are counted back from "now"; a fixed date keeps the examples stable. */
export const EXAMPLES_DATE = new Date('2026-06-15T12:00:00Z');

export interface Exchange {
  /** Names the example in the document. */
  name: string;
  summary: string;
  /** The operation it belongs to ("POST /api/auth"), or "any" for answers every operation can give. */
  operation: string;
  status: number;
  /** The body sent, when it is short JSON. */
  request: { method: string; path: string; body?: unknown };
  /** The headers the document describes (Retry-After, WWW-Authenticate), as served. */
  headers: Record<string, string>;
  body: unknown;
}

interface Knobs {
  billing: 'demo' | 'unavailable' | 'bad-data' | 'failing';
  busy: boolean;
  inbound: InboundAuth;
  /** Billing password checks a minute (the cap behind 429). */
  checksPerMinute: number;
}

interface Case {
  name: string;
  summary: string;
  operation: string;
  status: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Changes the agent for this case only. */
  knobs?: Partial<Knobs>;
  /** A raw request over a socket, for what Node answers before Koa sees it. */
  raw?: 'slow-headers' | 'huge-headers';
}

const json = (value: unknown) => JSON.stringify(value);
const HEALTHY = '58208891';

const CASES: Case[] = [
  { name: 'valid', summary: 'The login and password match (subscriber 1595)', operation: 'POST /api/auth', status: 200, method: 'POST', path: '/api/auth', body: json({ login: '1595', pswd: 'Zh4nna-1595' }) },
  { name: 'wrong-password', summary: 'A wrong password, an unknown login and a locked login get this same answer', operation: 'POST /api/auth', status: 401, method: 'POST', path: '/api/auth', body: json({ login: '1595', pswd: 'not-the-password' }) },
  { name: 'missing-field', summary: 'A field is missing', operation: 'POST /api/auth', status: 400, method: 'POST', path: '/api/auth', body: json({ login: '1595' }) },
  { name: 'not-json', summary: 'A form instead of JSON', operation: 'POST /api/auth', status: 415, method: 'POST', path: '/api/auth', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'login=1595&pswd=x' },
  { name: 'too-large', summary: 'A body over 16 KiB', operation: 'POST /api/auth', status: 413, method: 'POST', path: '/api/auth', body: json({ login: '1595', pswd: 'x'.repeat(17_000) }) },
  // The clock stands still, so the checks above are all within this minute: a cap of 1 is full.
  { name: 'checks-capped', summary: 'More password checks this minute than security.passwordChecksPerMinute allows', operation: 'POST /api/auth', status: 429, method: 'POST', path: '/api/auth', body: json({ login: '2048', pswd: 'ivanov2048' }), knobs: { checksPerMinute: 1 } },

  { name: 'healthy', summary: 'Subscriber 1595: healthy', operation: 'GET /api/users', status: 200, path: `/api/users?user_id=${HEALTHY}` },
  { name: 'blocked', summary: 'Subscriber 7155: blocked, no phone', operation: 'GET /api/users', status: 200, path: '/api/users?user_id=58208897' },
  { name: 'missing-user-id', summary: 'No user_id', operation: 'GET /api/users', status: 400, path: '/api/users' },
  { name: 'unknown-user', summary: 'No such user', operation: 'GET /api/users', status: 404, path: '/api/users?user_id=99999999' },

  { name: 'one-contract', summary: 'Subscriber 1595: one contract, a contract discount and a tariff-level discount', operation: 'GET /api/contracts', status: 200, path: `/api/contracts?user_id=${HEALTHY}` },
  { name: 'several-contracts', summary: 'Subscriber 2048: three contracts, one terminated', operation: 'GET /api/contracts', status: 200, path: '/api/contracts?user_id=58208892' },
  { name: 'debt', summary: 'Contract 12331250 by id: a debt (negative balance)', operation: 'GET /api/contracts', status: 200, path: '/api/contracts?id=12331250' },
  { name: 'forced-block', summary: 'Contract 12331260 by id: blocked until paid, whatever the balance', operation: 'GET /api/contracts', status: 200, path: '/api/contracts?id=12331260' },
  { name: 'both-ids', summary: 'Both user_id and id', operation: 'GET /api/contracts', status: 400, path: `/api/contracts?user_id=${HEALTHY}&id=12331231` },
  { name: 'unknown-contract', summary: 'No such contract', operation: 'GET /api/contracts', status: 404, path: '/api/contracts?id=99999999' },

  { name: 'catalogue', summary: 'The demo\'s services', operation: 'GET /api/services', status: 200, path: '/api/services' },
  { name: 'catalogue', summary: 'The demo\'s tariffs: with a cost and without', operation: 'GET /api/tariffs', status: 200, path: '/api/tariffs' },

  { name: 'latest-three', summary: 'Subscriber 1595\'s three latest charges (limit=3)', operation: 'GET /api/charges', status: 200, path: `/api/charges?user_id=${HEALTHY}&limit=3` },
  { name: 'bad-limit', summary: 'limit is not a whole number of at least 1', operation: 'GET /api/charges', status: 400, path: `/api/charges?user_id=${HEALTHY}&limit=0` },
  { name: 'unknown-user', summary: 'No such user', operation: 'GET /api/charges', status: 404, path: '/api/charges?user_id=99999999' },

  { name: 'credentials-required', summary: 'server.inboundAuth is basic or bearer and the request has no valid credential', operation: 'any', status: 401, path: '/api/services', knobs: { inbound: { mode: 'basic', login: 'core', secret: 'example-token' } } },
  { name: 'not-allowed', summary: 'The client (here behind a trusted proxy) is not on server.allowlist', operation: 'any', status: 403, path: '/api/services', headers: { 'X-Forwarded-For': '203.0.113.7' } },
  { name: 'web-page', summary: 'A request sent by a web page (it carries Origin, or a cross-site Sec-Fetch-Site)', operation: 'any', status: 403, path: '/api/services', headers: { Origin: 'https://example.net' } },
  { name: 'unknown-host', summary: 'Host names a name the agent does not answer for (not an IP address, localhost or one of server.hostnames)', operation: 'any', status: 421, path: '/api/services', headers: { Host: 'rebound.example:8080' } },
  { name: 'busy', summary: 'More requests at once than server.maxConcurrentRequests', operation: 'any', status: 503, path: '/api/services', knobs: { busy: true } },
  { name: 'billing-unavailable', summary: 'The billing cannot be reached or did not answer in time', operation: 'any', status: 503, path: `/api/users?user_id=${HEALTHY}`, knobs: { billing: 'unavailable' } },
  { name: 'billing-data-error', summary: 'The billing holds a record for this request that cannot be mapped', operation: 'any', status: 502, path: `/api/users?user_id=${HEALTHY}`, knobs: { billing: 'bad-data' } },
  { name: 'internal-error', summary: 'An unexpected failure inside the agent', operation: 'any', status: 500, path: `/api/users?user_id=${HEALTHY}`, knobs: { billing: 'failing' } },
  { name: 'headers-too-large', summary: 'Request headers over 16 KiB', operation: 'any', status: 431, path: '/api/services', raw: 'huge-headers' },
  { name: 'request-timeout', summary: 'The request did not arrive in time (the agent waits 10 s for headers, 30 s for a whole request)', operation: 'any', status: 408, path: '/api/services', raw: 'slow-headers' },
];

/** Headers the document describes; the rest (Date, Content-Length, Connection) say nothing about the API. */
const DOCUMENTED_HEADERS = ['retry-after', 'www-authenticate'];

/** Every case answered by the real API; throws when one answers otherwise than the document would say. */
export async function collectExamples(): Promise<Exchange[]> {
  const demo = new DemoBilling({ now: () => EXAMPLES_DATE });
  const knobs: Knobs = { billing: 'demo', busy: false, inbound: { mode: 'none', login: '', secret: null }, checksPerMinute: 1000 };
  const state = openState(':memory:');
  const passwordGuard = new PasswordGuard(state.lockouts, () => ({ maxFailures: 5, windowMinutes: 15, lockMinutes: 15, checksPerMinute: knobs.checksPerMinute }), { now: () => EXAMPLES_DATE.getTime() });
  const failing = {
    'bad-data': failingBilling(demo, () => new BillingDataError('contract 12331231: balance "12,5O" is not an amount')),
    failing: failingBilling(demo, () => new TypeError('Cannot read properties of undefined')),
  };
  const app = createApiApp({
    billing: () => (knobs.billing === 'bad-data' || knobs.billing === 'failing' ? failing[knobs.billing] : demo),
    access: new AccessControl({ allowlist: ['127.0.0.1'], allowAll: false, trustedProxies: ['127.0.0.1'] }),
    log: silentLogger(),
    maxConcurrent: () => (knobs.busy ? 0 : 64),
    inboundAuth: () => knobs.inbound,
    passwordGuard,
  });
  const defaults = { ...knobs };
  const servers: RunningServer[] = [];
  try {
    const server = await listen(app, { host: '127.0.0.1', port: 0 });
    servers.push(server);
    const exchanges: Exchange[] = [];
    for (const c of CASES) {
      Object.assign(knobs, defaults, c.knobs);
      demo.outage = knobs.billing === 'unavailable';
      let answer: Answer;
      if (c.raw === 'slow-headers') {
        // A server of its own with a short header timeout, so the example takes a moment, not 10 s.
        const slow = await listen(app, { host: '127.0.0.1', port: 0, headersTimeoutMs: 100 });
        servers.push(slow);
        answer = await rawRequest(slow.url, `GET ${c.path} HTTP/1.1\r\nHost: agent\r\n`);
      } else if (c.raw === 'huge-headers') {
        answer = await rawRequest(server.url, `GET ${c.path} HTTP/1.1\r\nHost: agent\r\nX-Padding: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
      } else {
        answer = await send(server.url, c);
      }
      if (answer.status !== c.status) throw new Error(`OpenAPI example "${c.name}" (${c.method ?? 'GET'} ${c.path}) answered ${answer.status}, not ${c.status}`);
      exchanges.push({
        name: c.name, summary: c.summary, operation: c.operation, status: answer.status,
        request: { method: c.method ?? 'GET', path: c.path, ...(c.body !== undefined && c.body.length < 1024 && isJson(c.body) && { body: JSON.parse(c.body) as unknown }) },
        headers: Object.fromEntries(DOCUMENTED_HEADERS.filter((h) => answer.headers[h] !== undefined).map((h) => [h, String(answer.headers[h])])),
        body: JSON.parse(answer.text) as unknown,
      });
    }
    return exchanges;
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    passwordGuard.close();
    state.close();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The demo billing with every call failing the same way. */
export function failingBilling(demo: DemoBilling, error: () => Error): BillingSource {
  return new Proxy(demo, {
    get: (target, key) => {
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? () => Promise.reject(error()) : value;
    },
  });
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(baseUrl: string, c: Case): Promise<Answer> {
  const url = new URL(c.path, baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(c.body !== undefined && { 'Content-Type': 'application/json' }), ...c.headers };
    const req = http.request(url, { method: c.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Writes `payload` as it is and reads the answer Node's HTTP layer sends before closing. */
export function rawRequest(baseUrl: string, payload: string): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: url.hostname, port: Number(url.port) }, () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head = '', text = ''] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: http.IncomingHttpHeaders = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text });
    });
  });
}
