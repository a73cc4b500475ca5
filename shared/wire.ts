// What crosses a boundary: the JSON body of every error answer (the public API, the admin API, the
// IPC channel and in-process calls alike), the envelope of an admin answer, the codes by HTTP
// status, and the base of the errors that are meant for the caller.
import { z } from 'zod';

export const WireError = z.object({ error: z.string(), message: z.string() });
export type WireError = z.infer<typeof WireError>;

/**
 * The answer to one admin operation, whichever way it travelled: the IPC channel's envelope (errors
 * never cross it as exceptions) and what every transport hands the admin client. `status` is the
 * HTTP status where there was one.
 */
export type AdminAnswer = { ok: true; result: unknown } | { ok: false; error: WireError; status?: number };

/** The one Electron IPC channel: the dashboard's window.billingBridge.call lands on it. */
export const ADMIN_CHANNEL = 'admin';

/** The code of an error answer by its status, when the error has none of its own. */
export const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  417: 'expectation_failed',
  421: 'misdirected_request',
  429: 'too_many_requests',
  501: 'not_implemented',
  502: 'billing_data_error',
  503: 'service_unavailable',
};

export const codeFor = (status: number): string => STATUS_CODES[status] ?? 'error';

/**
 * A failure meant for the caller (Koa's `expose`): its HTTP status, its code and the words the
 * caller is told. The message itself may carry details for the log only; `publicMessage` is what
 * leaves the process. Map by class (instanceof), so subclasses answer like their parent.
 */
export class ExposedError extends Error {
  readonly expose = true;
  /** Extra response headers (Retry-After). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Logged when it is answered (an outage is worth a line; a refused request is not). */
  readonly logAs?: { level: 'warn' | 'error'; msg: string };

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get publicMessage(): string {
    return this.message;
  }
}
