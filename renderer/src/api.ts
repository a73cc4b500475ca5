// The dashboard's way to the agent: the one admin client (shared/admin-client.ts), over the
// Electron preload when there is one, else over the loopback admin API that served this page.
import { adminClient, AdminCallError, type AdminSend } from '../../shared/admin-client.ts';
import type { AdminAnswer } from '../../shared/wire.ts';
import { adminToken, forgetToken } from './token.ts';

interface Bridge {
  call(op: string, input: unknown): Promise<AdminAnswer>;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser tab. */
    billingBridge?: Bridge;
  }
}

/** Codes made here rather than by the agent; the screens explain them in the chosen language. */
export type ClientErrorCode = 'agent_unreachable' | 'agent_timeout' | 'bad_response' | 'no_token' | 'unauthorized';

/** A refusal that a person can override (allowlist.set's lock-out warning). */
export function isConflict(err: unknown): err is AdminCallError {
  return err instanceof AdminCallError && (err.code === 'conflict' || err.httpStatus === 409);
}

// callback.send may wait up to 60 s for core's answer.
const TIMEOUT_MS = 75_000;

const viaBridge = (bridge: Bridge): AdminSend => async (op, input) => {
  try {
    return await bridge.call(op, input);
  } catch (err) {
    throw new AdminCallError('agent_unreachable', (err as Error).message);
  }
};

const viaHttp: AdminSend = async (op, input) => {
  const token = adminToken();
  if (token === null) throw new AdminCallError('no_token', 'no admin token: open the dashboard with the link the agent gives');
  let res: Response;
  try {
    res = await fetch(`/admin/${op}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new AdminCallError(timedOut ? 'agent_timeout' : 'agent_unreachable', (err as Error).message);
  }
  const body = (await res.json().catch(() => null)) as { result?: unknown; error?: unknown; message?: unknown } | null;
  if (res.ok) return { ok: true, result: body?.result };
  const message = typeof body?.message === 'string' ? body.message : res.status === 401 ? 'the admin token is wrong' : `HTTP ${res.status}`;
  if (res.status === 401) {
    forgetToken();
    return { ok: false, status: 401, error: { error: 'unauthorized', message } };
  }
  return { ok: false, status: res.status, error: { error: typeof body?.error === 'string' ? body.error : `http_${res.status}`, message } };
};

const client = adminClient((op, input) => (window.billingBridge ? viaBridge(window.billingBridge) : viaHttp)(op, input));

export const call = client.call;

/** Whether the page talks to the agent over Electron (no token needed) or over HTTP. */
export const transportKind = (): 'electron' | 'http' => (window.billingBridge ? 'electron' : 'http');
