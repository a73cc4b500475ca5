// The dashboard's one way to the agent: call(op, input) over the Electron preload when there is
// one, else over the loopback admin API that served this page. Every answer is checked against the
// contract's schema, and every failure is an ApiError carrying the agent's plain message.
import { AdminContract, type AdminInput, type AdminOp, type AdminOutput } from '../../shared/admin.ts';
import { adminToken, forgetToken } from './token.ts';

type BridgeAnswer = { ok: true; result: unknown } | { ok: false; error: { error: string; message: string } };

interface Bridge {
  call(op: string, input: unknown): Promise<BridgeAnswer>;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser tab. */
    billingBridge?: Bridge;
  }
}

/** Codes made here rather than by the agent; the screens explain them in the chosen language. */
export type ClientErrorCode = 'agent_unreachable' | 'agent_timeout' | 'bad_response' | 'no_token' | 'unauthorized';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** The agent's error code (bad_request, conflict, …) or a ClientErrorCode. */
    readonly code: string,
    message: string,
    /** The HTTP status when the answer came over HTTP. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** A refusal that a person can override (allowlist.set's lock-out warning). */
export function isConflict(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.code === 'conflict' || err.status === 409);
}

// callback.send may wait up to 60 s for core's answer.
const TIMEOUT_MS = 75_000;

async function viaBridge(bridge: Bridge, op: AdminOp, input: unknown): Promise<unknown> {
  let answer: BridgeAnswer;
  try {
    answer = await bridge.call(op, input);
  } catch (err) {
    throw new ApiError('agent_unreachable', (err as Error).message);
  }
  if (!answer.ok) throw new ApiError(answer.error.error, answer.error.message);
  return answer.result;
}

async function viaHttp(op: AdminOp, input: unknown): Promise<unknown> {
  const token = adminToken();
  if (token === null) throw new ApiError('no_token', 'no admin token: open the dashboard with the link the agent gives');
  let res: Response;
  try {
    res = await fetch(`/admin/${op}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new ApiError(timedOut ? 'agent_timeout' : 'agent_unreachable', (err as Error).message);
  }
  const body = (await res.json().catch(() => null)) as { result?: unknown; error?: unknown; message?: unknown } | null;
  if (!res.ok) {
    if (res.status === 401) {
      forgetToken();
      throw new ApiError('unauthorized', typeof body?.message === 'string' ? body.message : 'the admin token is wrong', 401);
    }
    const code = typeof body?.error === 'string' ? body.error : `http_${res.status}`;
    throw new ApiError(code, typeof body?.message === 'string' ? body.message : `HTTP ${res.status}`, res.status);
  }
  return body?.result;
}

export async function call<K extends AdminOp>(op: K, input: AdminInput<K>): Promise<AdminOutput<K>> {
  const bridge = window.billingBridge;
  const raw = bridge ? await viaBridge(bridge, op, input) : await viaHttp(op, input);
  const parsed = AdminContract[op].output.safeParse(raw);
  if (!parsed.success) throw new ApiError('bad_response', `the agent's answer to ${op} does not match this dashboard's version`);
  return parsed.data as AdminOutput<K>;
}

/** Whether the page talks to the agent over Electron (no token needed) or over HTTP. */
export const transportKind = (): 'electron' | 'http' => (window.billingBridge ? 'electron' : 'http');
