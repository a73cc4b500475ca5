// Sends one callback to core over HTTP(S) with Basic auth, explicit connect and total timeouts,
// and sorts the answer into: delivered, worth retrying, or a refusal retrying will not fix.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import axios, { type AxiosInstance } from 'axios';
import { parseRetryAfter } from './backoff.js';
import type { Clock } from './clock.js';
import type { Callback } from './targets.js';

export interface CoreEndpoint {
  baseUrl: string;
  login: string;
  password: string | null;
}

export type SendResult =
  | { ok: true; status: number; ms: number }
  | {
    ok: false;
    status: number | null;
    ms: number;
    /** Plain words for the status screen and the delivery history. */
    reason: string;
    /** false: retrying the same request will not help (a 4xx other than 408/429). */
    retryable: boolean;
    /** Core's Retry-After (429/503), in ms from now. */
    retryAfterMs: number | null;
    /** Wrong address or credentials: every callback would fail the same way. */
    configProblem: boolean;
    /** Cut short by stop(), not by core: not an attempt. */
    aborted: boolean;
  };

export interface CoreClientOptions {
  connectTimeoutMs: number;
  timeoutMs: number;
  /** Parallel connections kept to core. */
  maxSockets: number;
  clock: Clock;
}

class ConnectTimeoutError extends Error {
  code = 'ECONNECT_TIMEOUT';
}

/** Gives up on a socket that has not connected (TCP, plus TLS for https) within `ms`. */
function withConnectTimeout<A extends http.Agent>(agent: A, ms: number, readyEvent: 'connect' | 'secureConnect'): A {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback) as Duplex | null | undefined;
    if (socket) {
      const timer = setTimeout(() => socket.destroy(new ConnectTimeoutError(`could not connect within ${ms} ms`)), ms);
      socket.once(readyEvent, () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    }
    return socket;
  };
  return agent;
}

export function createCoreClient(options: CoreClientOptions) {
  const httpAgent = withConnectTimeout(new http.Agent({ keepAlive: true, maxSockets: options.maxSockets }), options.connectTimeoutMs, 'connect');
  const httpsAgent = withConnectTimeout(new https.Agent({ keepAlive: true, maxSockets: options.maxSockets }), options.connectTimeoutMs, 'secureConnect');
  const client: AxiosInstance = axios.create({
    httpAgent,
    httpsAgent,
    // Core is reached directly; an environment proxy meant for browsing must not swallow callbacks.
    proxy: false,
    // A redirected POST would turn into a GET: show it as an address problem instead.
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    maxContentLength: 64 * 1024,
    transformResponse: [(data: unknown) => data],
  });

  return {
    async send(endpoint: CoreEndpoint, callback: Callback, stop?: AbortSignal): Promise<SendResult> {
      const url = `${endpoint.baseUrl.replace(/\/+$/, '')}${callback.path}`;
      const total = AbortSignal.timeout(options.timeoutMs);
      const signal = stop ? AbortSignal.any([total, stop]) : total;
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      try {
        const res = await client.post(url, callback.body, {
          headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
          ...(endpoint.login !== '' && { auth: { username: endpoint.login, password: endpoint.password ?? '' } }),
          timeout: options.timeoutMs,
          signal,
        });
        const ms = elapsed();
        const status = res.status;
        if (status >= 200 && status < 300) return { ok: true, status, ms };
        const retryAfterHeader = res.headers['retry-after'] as string | undefined;
        return { ok: false, status, ms, ...classifyStatus(status, callback.path, res.headers.location as string | undefined), retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(retryAfterHeader, options.clock.now()) : null, aborted: false };
      } catch (err) {
        const ms = elapsed();
        if (stop?.aborted) return { ok: false, status: null, ms, reason: 'stopped before core answered', retryable: true, retryAfterMs: null, configProblem: false, aborted: true };
        if (total.aborted) return failure(ms, `core did not answer within ${options.timeoutMs} ms`);
        return failure(ms, describeNetworkError(err, url, options.connectTimeoutMs));
      }
    },
    close(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

export type CoreClient = ReturnType<typeof createCoreClient>;

function failure(ms: number, reason: string): SendResult {
  return { ok: false, status: null, ms, reason, retryable: true, retryAfterMs: null, configProblem: false, aborted: false };
}

function classifyStatus(status: number, path: string, location: string | undefined): { reason: string; retryable: boolean; configProblem: boolean } {
  if (status === 401 || status === 403) {
    return { reason: `core refused with HTTP ${status}: check core.login and the core password`, retryable: false, configProblem: true };
  }
  if (status === 404 || status === 405) {
    return { reason: `core answered HTTP ${status} for ${path}: check core.baseUrl (it should be the platform's address, without /api/...)`, retryable: false, configProblem: true };
  }
  if (status >= 300 && status < 400) {
    return { reason: `core answered with a redirect (HTTP ${status}${location ? ` to ${location}` : ''}): set core.baseUrl to the address it points to`, retryable: false, configProblem: true };
  }
  if (status === 408) return { reason: 'core gave up waiting for the request (HTTP 408)', retryable: true, configProblem: false };
  if (status === 429) return { reason: 'core asked to slow down (HTTP 429)', retryable: true, configProblem: false };
  if (status >= 400 && status < 500) {
    return { reason: `core refused this callback with HTTP ${status}; retrying will not help`, retryable: false, configProblem: false };
  }
  if (status === 503) return { reason: 'core is temporarily unavailable (HTTP 503)', retryable: true, configProblem: false };
  return { reason: `core failed with HTTP ${status}`, retryable: true, configProblem: false };
}

function describeNetworkError(err: unknown, url: string, connectTimeoutMs: number): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  let where = url;
  try {
    const u = new URL(url);
    where = u.host;
  } catch {
    // keep the whole text
  }
  switch (code) {
    case 'ECONNECT_TIMEOUT': return `could not connect to core at ${where} within ${connectTimeoutMs} ms`;
    case 'ECONNREFUSED': return `core refused the connection: nothing listens at ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return `the core address ${where} cannot be resolved (DNS)`;
    case 'ECONNRESET':
    case 'EPIPE': return `the connection to core at ${where} was cut (${code})`;
    case 'ETIMEDOUT': return `the connection to core at ${where} timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return `core at ${where} cannot be reached from this machine (${code})`;
    default:
      if (code && /CERT|SSL|TLS/.test(code)) return `the TLS certificate of core at ${where} was not accepted (${code})`;
      return `sending to core at ${where} failed: ${code ?? e.message ?? 'unknown error'}`;
  }
}
