// The HTTP/RPC layer over Carbon's REST API v2 (and system_api for one fallback): form-encoded
// calls, explicit timeouts, a concurrency limit, single-flight for identical calls, and one
// honest error for every way a call can fail. Nothing here knows the Data Provider API.
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { BillingUnavailableError } from '../source.js';
import { BusyError, Semaphore, SingleFlight } from './limits.js';

/** One link of a call chain: `objects.filter` with `{"login": "x"}`, then `check_pass` ... */
export interface CarbonCall {
  method: string;
  arg?: Record<string, unknown>;
}

export interface CarbonRequest {
  model: string;
  calls: CarbonCall[];
  /** Output fields of the last result; omit for a method's plain value. */
  fields?: readonly string[];
  /** Whole-table reads: the long timeout. */
  bulk?: boolean;
}

/** A row as REST v2 outputs it. */
export interface CarbonRow {
  pk: number;
  fields: Record<string, unknown>;
}

/**
 * What an `{"error": ...}` body means. Carbon gives no codes, only Django's exception text, so the
 * text decides: `not-found` is `objects.get` matching nothing (DoesNotExist, "matching query does
 * not exist"), `several` is `objects.get` matching more than one, `unknown-field` is a field or
 * lookup name this Carbon does not have; anything else is a failure of the billing.
 */
export type CarbonErrorKind = 'not-found' | 'several' | 'unknown-field' | 'other';

export function classifyCarbonError(text: string): CarbonErrorKind {
  if (/DoesNotExist|matching query does not exist/i.test(text)) return 'not-found';
  if (/MultipleObjectsReturned|returned more than one/i.test(text)) return 'several';
  if (/Cannot resolve keyword|has no field named|FieldDoesNotExist|FieldError|Unknown field/i.test(text)) return 'unknown-field';
  return 'other';
}

/** Carbon answered `{"error": ...}`. Unhandled, it is an outage (503) like every other failure here. */
export class CarbonAnswerError extends BillingUnavailableError {
  override name = 'CarbonAnswerError';
  readonly kind: CarbonErrorKind;
  constructor(readonly model: string, readonly carbonMessage: string) {
    super(`Carbon answered an error to a ${model} call: ${shorten(carbonMessage, 300)}`);
    this.kind = classifyCarbonError(carbonMessage);
  }
}

/** Carbon refused this host (HTTP 403): its REST API admits only allow-listed addresses. */
export class CarbonRefusedError extends BillingUnavailableError {
  override name = 'CarbonRefusedError';
  constructor(readonly localAddress: string | undefined, url: string) {
    super(
      `Carbon at ${url} refused this host (HTTP 403): add this host's address` +
        `${localAddress ? ` (${localAddress})` : ''} to Carbon's API allow-list in its network settings`,
    );
  }
}

export interface CarbonClientOptions {
  url: string;
  timeoutMs: number;
  bulkTimeoutMs: number;
  concurrency: number;
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Accept: 'application/json' };

export class CarbonClient {
  readonly baseUrl: string;
  private readonly http: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly slots: Semaphore;
  private readonly flights = new SingleFlight();

  constructor(private readonly options: CarbonClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.slots = new Semaphore(options.concurrency);
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: options.concurrency });
    this.http = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // Statuses, JSON and redirects are judged here, not by axios.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
      proxy: false,
    });
  }

  /** A REST v2 call: the `result`, or a BillingUnavailableError (CarbonAnswerError for an `error` body). */
  rest(request: CarbonRequest): Promise<unknown> {
    const body = new URLSearchParams();
    request.calls.forEach((call, i) => {
      body.set(`method${i + 1}`, call.method);
      // Carbon wants every argN, `{}` when empty.
      body.set(`arg${i + 1}`, JSON.stringify(call.arg ?? {}));
    });
    if (request.fields) body.set('fields', JSON.stringify(request.fields));
    const url = `${this.baseUrl}/rest_api/v2/${request.model}/`;
    const text = body.toString();
    const timeoutMs = request.bulk ? this.options.bulkTimeoutMs : this.options.timeoutMs;
    // Identical reads in flight at once (a burst of core's requests for one user) share one call.
    return this.flights.run(`${url}\n${text}`, async () => {
      const response = await this.send(() => this.http.post<string>(url, text, { headers: FORM, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) }), timeoutMs);
      const answer = this.parse(response);
      if ('error' in answer) throw new CarbonAnswerError(request.model, String(answer.error));
      if (!('result' in answer)) throw new BillingUnavailableError(`Carbon's answer to a ${request.model} call has neither "result" nor "error"`);
      return answer.result;
    });
  }

  /** `objects.filter` and the like: the rows, checked for shape. */
  async rows(request: CarbonRequest): Promise<CarbonRow[]> {
    const result = await this.rest(request);
    if (!Array.isArray(result)) throw new BillingUnavailableError(`Carbon answered a ${request.model} list call with something that is not a list`);
    return result.map((row) => this.checkRow(request.model, row));
  }

  /** `objects.get`: the row, or null when Carbon says no such row exists. */
  async row(request: CarbonRequest): Promise<CarbonRow | null> {
    try {
      return this.checkRow(request.model, await this.rest(request));
    } catch (err) {
      if (err instanceof CarbonAnswerError && err.kind === 'not-found') return null;
      throw err;
    }
  }

  /** A system_api GET (psw in the query, as that API wants): the parsed JSON object, uninterpreted. */
  systemApi(params: { model: string; calls: CarbonCall[]; context: string; psw: string }): Promise<Record<string, unknown>> {
    const query = new URLSearchParams({ model: params.model });
    params.calls.forEach((call, i) => {
      query.set(`method${i + 1}`, call.method);
      query.set(`arg${i + 1}`, JSON.stringify(call.arg ?? {}));
    });
    query.set('context', params.context);
    query.set('psw', params.psw);
    query.set('format', 'json');
    const timeoutMs = this.options.timeoutMs;
    return this.send(
      () => this.http.get<string>(`${this.baseUrl}/system_api/?${query.toString()}`, { headers: { Accept: 'application/json' }, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) }),
      timeoutMs,
      'system_api',
    ).then((response) => this.parse(response, 'system_api'));
  }

  async close(): Promise<void> {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** One HTTP exchange under the concurrency limit; every transport failure becomes BillingUnavailableError. */
  private async send(attempt: () => Promise<AxiosResponse<string>>, timeoutMs: number, api = 'REST API'): Promise<AxiosResponse<string>> {
    let release: () => void;
    try {
      // Waiting for a slot counts against the same budget a call has.
      release = await this.slots.acquire(timeoutMs);
    } catch (err) {
      if (err instanceof BusyError) throw new BillingUnavailableError(`Carbon is busy: ${this.options.concurrency} calls already in flight for ${timeoutMs} ms`);
      throw err;
    }
    try {
      try {
        return await attempt();
      } catch (err) {
        // A keep-alive socket Carbon closed while idle fails on reuse; that one is worth a retry.
        if (isStaleSocket(err)) return await attempt();
        throw err;
      }
    } catch (err) {
      throw this.transportError(err, timeoutMs, api);
    } finally {
      release();
    }
  }

  private parse(response: AxiosResponse<string>, api = 'REST API'): Record<string, unknown> {
    const where = `Carbon's ${api} at ${this.baseUrl}`;
    if (response.status === 403) throw new CarbonRefusedError(localAddressOf(response), this.baseUrl);
    if (response.status < 200 || response.status >= 300) {
      throw new BillingUnavailableError(`${where} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(response.data);
    } catch {
      throw new BillingUnavailableError(`${where} answered something that is not JSON: ${JSON.stringify(shorten(String(response.data), 60))}`);
    }
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
      throw new BillingUnavailableError(`${where} answered JSON that is not an object`);
    }
    return answer as Record<string, unknown>;
  }

  private checkRow(model: string, row: unknown): CarbonRow {
    const r = row as Partial<CarbonRow> | null;
    if (r === null || typeof r !== 'object' || typeof r.pk !== 'number' || r.fields === null || typeof r.fields !== 'object') {
      throw new BillingUnavailableError(`Carbon answered a ${model} call with a row that has no pk or fields`);
    }
    return { pk: r.pk, fields: r.fields };
  }

  /**
   * No `cause` is attached: axios errors carry the request (form body with check_pass's passwd,
   * system_api URL with psw), and a logged cause would write them out.
   */
  private transportError(err: unknown, timeoutMs: number, api: string): Error {
    if (err instanceof BillingUnavailableError) return err;
    const where = `Carbon's ${api} at ${this.baseUrl}`;
    const code = (err as AxiosError).code ?? (err as NodeJS.ErrnoException).code;
    switch (code) {
      case 'ECONNREFUSED':
        return new BillingUnavailableError(`${where} refused the connection: is the address right and the API (port 8082) running?`);
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new BillingUnavailableError(`${where}: the host name does not resolve`);
      case 'ECONNABORTED':
      case 'ETIMEDOUT':
      case 'ERR_CANCELED':
        return new BillingUnavailableError(`${where} did not answer within ${timeoutMs} ms`);
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ERR_BAD_RESPONSE':
        return new BillingUnavailableError(`${where} closed the connection before answering`);
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return new BillingUnavailableError(`${where} cannot be reached from this host (no route)`);
    }
    if (axios.isCancel(err)) return new BillingUnavailableError(`${where} did not answer within ${timeoutMs} ms`);
    return new BillingUnavailableError(`${where} failed: ${(err as Error).message}`);
  }
}

function isStaleSocket(err: unknown): boolean {
  const e = err as AxiosError & { request?: { reusedSocket?: boolean } };
  return axios.isAxiosError(err) && e.code === 'ECONNRESET' && e.request?.reusedSocket === true && !e.response;
}

function localAddressOf(response: AxiosResponse): string | undefined {
  const request = response.request as { socket?: { localAddress?: string } } | undefined;
  return request?.socket?.localAddress;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
