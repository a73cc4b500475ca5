// The HTTP/RPC layer over Carbon's REST API v2 (and system_api for one fallback): form-encoded
// calls, explicit timeouts, a concurrency limit, single-flight for identical calls, and one
// honest error for every way a call can fail. Nothing here knows the Data Provider API.
import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { BillingFieldError, BillingGarbageError, BillingRefusedError, BillingUnavailableError, BillingUnreachableError } from '../source.js';
import { BusyError, Semaphore, SingleFlight } from './limits.js';
import { say } from './messages.js';

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

/** Carbon answered `{"error": ...}` that is not about a field name; `answer` says what kind of error. */
export class CarbonAnswerError extends BillingUnavailableError {
  override name = 'CarbonAnswerError';
  readonly answer: CarbonErrorKind;
  constructor(readonly model: string, readonly carbonMessage: string) {
    super(say.answerError(model, carbonMessage));
    this.answer = classifyCarbonError(carbonMessage);
  }
}

/** Carbon answered that a field or lookup name we sent does not exist: the map does not fit this Carbon. */
export class CarbonFieldError extends BillingFieldError {
  override name = 'CarbonFieldError';
  constructor(readonly model: string, readonly carbonMessage: string) {
    super(say.fieldError(model, carbonMessage));
  }
}

/** Carbon refused this host (HTTP 403): its API admits only allow-listed addresses. */
export class CarbonRefusedError extends BillingRefusedError {
  override name = 'CarbonRefusedError';
  constructor(readonly localAddress: string | undefined, url: string) {
    super(say.refusedHost(url, localAddress));
  }
}

/** Carbon's model listing (`GET /rest_api/v2/`) as it came: null when there is none (HTTP 404). */
export interface ListingAnswer {
  contentType: string;
  body: string;
}

export interface CarbonClientOptions {
  url: string;
  timeoutMs: number;
  bulkTimeoutMs: number;
  concurrency: number;
  /** Told of every HTTP exchange with Carbon (the load the agent puts on it). */
  onCall?: () => void;
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
      if ('error' in answer) {
        const text = String(answer.error);
        if (classifyCarbonError(text) === 'unknown-field') throw new CarbonFieldError(request.model, text);
        throw new CarbonAnswerError(request.model, text);
      }
      if (!('result' in answer)) throw new BillingGarbageError(say.noResult(request.model));
      return answer.result;
    });
  }

  /** `objects.filter` and the like: the rows, checked for shape. */
  async rows(request: CarbonRequest): Promise<CarbonRow[]> {
    const result = await this.rest(request);
    if (!Array.isArray(result)) throw new BillingGarbageError(say.notList(request.model));
    return result.map((row) => this.checkRow(request.model, row));
  }

  /** `objects.get`: the row, or null when Carbon says no such row exists. */
  async row(request: CarbonRequest): Promise<CarbonRow | null> {
    try {
      return this.checkRow(request.model, await this.rest(request));
    } catch (err) {
      if (err instanceof CarbonAnswerError && err.answer === 'not-found') return null;
      throw err;
    }
  }

  /** A system_api GET (psw in the query, as that API wants): the parsed JSON object, uninterpreted. */
  systemApi(params: { model: string; calls: CarbonCall[]; context: string; psw: string | null }): Promise<Record<string, unknown>> {
    const query = new URLSearchParams({ model: params.model });
    params.calls.forEach((call, i) => {
      query.set(`method${i + 1}`, call.method);
      query.set(`arg${i + 1}`, JSON.stringify(call.arg ?? {}));
    });
    query.set('context', params.context);
    // Public clients send no psw for context=web; it goes only where one is configured.
    if (params.psw !== null) query.set('psw', params.psw);
    query.set('format', 'json');
    const timeoutMs = this.options.timeoutMs;
    return this.send(
      () => this.http.get<string>(`${this.baseUrl}/system_api/?${query.toString()}`, { headers: { Accept: 'application/json' }, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) }),
      timeoutMs,
      'system_api',
    ).then((response) => {
      // Carbon may say this one in plain text rather than JSON.
      const context = /Context=(\S+) is not defined/.exec(response.data)?.[1];
      if (context !== undefined) throw new CarbonAnswerError('system_api', say.contextNotDefined(context));
      return this.parse(response, 'system_api');
    });
  }

  /** `GET /rest_api/v2/`: Carbon's list of models and their fields, as text; null when it has none. */
  async listing(): Promise<ListingAnswer | null> {
    const timeoutMs = this.options.timeoutMs;
    const response = await this.send(
      () => this.http.get<string>(`${this.baseUrl}/rest_api/v2/`, { headers: { Accept: 'application/json, text/html;q=0.9, */*;q=0.5' }, timeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) }),
      timeoutMs,
    );
    if (response.status === 403) throw new CarbonRefusedError(localAddressOf(response), this.baseUrl);
    if (response.status < 200 || response.status >= 300) return null;
    return { contentType: String(response.headers['content-type'] ?? ''), body: String(response.data ?? '') };
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
      if (err instanceof BusyError) throw new BillingUnreachableError(say.busy(this.options.concurrency, timeoutMs));
      throw err;
    }
    try {
      try {
        this.options.onCall?.();
        return await attempt();
      } catch (err) {
        // A keep-alive socket Carbon closed while idle fails on reuse; that one is worth a retry.
        if (isStaleSocket(err)) {
          this.options.onCall?.();
          return await attempt();
        }
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
    if (response.status < 200 || response.status >= 300) throw new BillingGarbageError(say.httpStatus(where, response.status, response.statusText ?? ''));
    let answer: unknown;
    try {
      answer = JSON.parse(response.data);
    } catch {
      throw new BillingGarbageError(say.notJson(where, String(response.data)));
    }
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) throw new BillingGarbageError(say.notObject(where));
    return answer as Record<string, unknown>;
  }

  private checkRow(model: string, row: unknown): CarbonRow {
    const r = row as Partial<CarbonRow> | null;
    if (r === null || typeof r !== 'object' || typeof r.pk !== 'number' || r.fields === null || typeof r.fields !== 'object') {
      throw new BillingGarbageError(say.badRow(model));
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
        return new BillingUnreachableError(say.refusedConnection(where));
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new BillingUnreachableError(say.noDns(where));
      case 'ECONNABORTED':
      case 'ETIMEDOUT':
      case 'ERR_CANCELED':
        return new BillingUnreachableError(say.timeout(where, timeoutMs));
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ERR_BAD_RESPONSE':
        return new BillingUnreachableError(say.reset(where));
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return new BillingUnreachableError(say.noRoute(where));
    }
    if (axios.isCancel(err)) return new BillingUnreachableError(say.timeout(where, timeoutMs));
    return new BillingUnreachableError(say.transport(where, (err as Error).message));
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
