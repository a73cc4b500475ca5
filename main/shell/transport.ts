// How the shell reaches the core: handlers called in this process when the shell started the
// core, or the loopback admin API when a core was already running for the data directory (a
// service, `billing-bridge serve`). Both speak the one admin contract and fail the same way.
import { existsSync, realpathSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { z } from 'zod';
import { AdminContract, type AdminHandlers, type AdminInput, type AdminOp, type AdminOutput } from '../../shared/admin.js';
import type { Agent, AgentOptions } from '../agent.js';
import { ADMIN_HOST } from '../admin/server.js';
import { readToken } from '../admin/token.js';
import { toWire } from '../errors.js';
import { codeFor } from '../../shared/wire.js';
import type { Logger } from '../logging/logger.js';
import { dataFiles } from '../settings/paths.js';
import { defaultSettings } from '../../shared/settings.js';
import { loadSettings } from '../settings/store.js';

export interface AdminTransport {
  readonly kind: 'in-process' | 'attached';
  /** Where the admin API of the core answers (for the browser-served dashboard and the CLI). */
  readonly adminUrl: string;
  call<K extends AdminOp>(op: K, input: AdminInput<K>): Promise<AdminOutput<K>>;
  /** Stops the core if this process started it; an attached core keeps running. */
  close(): Promise<void>;
}

/** A failed operation as the dashboard sees it: the admin API's error code and message. */
export class AdminCallError extends Error {
  override name = 'AdminCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The input checked against the operation's schema (defaults filled in), or a bad_request. */
export function parseInput<K extends AdminOp>(op: K, input: unknown): z.infer<(typeof AdminContract)[K]['input']> {
  const result = AdminContract[op].input.safeParse(input ?? {});
  if (result.success) return result.data as z.infer<(typeof AdminContract)[K]['input']>;
  const message = result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new AdminCallError('bad_request', `${op}: ${message}`);
}

/** Handler failures the way the admin API answers them (toWire). */
export function toCallError(err: unknown, log?: Logger, op?: AdminOp): AdminCallError {
  if (err instanceof AdminCallError) return err;
  const { body } = toWire(err, log, { op });
  return new AdminCallError(body.error, body.message);
}

export function inProcessTransport(options: { handlers: AdminHandlers; adminUrl: string; stop: () => Promise<void>; log?: Logger }): AdminTransport {
  return {
    kind: 'in-process',
    adminUrl: options.adminUrl,
    async call(op, input) {
      const parsed = parseInput(op, input);
      const handler = options.handlers[op] as (input: unknown) => Promise<AdminOutput<typeof op>>;
      try {
        return await handler(parsed);
      } catch (err) {
        throw toCallError(err, options.log, op);
      }
    },
    close: options.stop,
  };
}

// node:http rather than fetch: fetch refuses some ports outright (the "bad ports" list) and
// follows proxy settings in some runtimes; the admin API is always plain loopback HTTP.
function post(url: string, token: string, input: unknown, timeoutMs: number): Promise<{ status: number; body: { result?: unknown; error?: unknown; message?: unknown } | null }> {
  const payload = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      timeout: timeoutMs,
      // A new connection per call: a kept-alive socket may be closed by the server (5 s idle)
      // just as the next poll reuses it.
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        let body = null;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: unknown };
        } catch {
          // Not JSON: reported by status below.
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface HttpTransportOptions {
  port: number;
  tokenFile: string;
  /** Long enough for callback.send, which may wait up to 60 s for core. */
  timeoutMs?: number;
  /** For a core this process started: in-process, and close() stops it. */
  owned?: { stop: () => Promise<void> };
}

export function httpTransport(options: HttpTransportOptions): AdminTransport {
  const base = `http://${ADMIN_HOST}:${options.port}/admin/`;
  const where = `${ADMIN_HOST}:${options.port}`;
  return {
    kind: options.owned ? 'in-process' : 'attached',
    adminUrl: `http://${where}`,
    async call(op, input) {
      let token: string;
      try {
        token = readToken(options.tokenFile);
      } catch {
        throw new AdminCallError('agent_unreachable', `no admin token at ${options.tokenFile}: is the agent running with this data directory?`);
      }
      let res: { status: number; body: { result?: unknown; error?: unknown; message?: unknown } | null };
      try {
        res = await post(`${base}${op}`, token, input ?? {}, options.timeoutMs ?? 75_000);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ETIMEDOUT') throw new AdminCallError('agent_timeout', `the agent on ${where} did not answer in time`);
        if (code === 'ECONNREFUSED') throw new AdminCallError('agent_unreachable', `the agent is not running (nothing answers on ${where})`);
        throw new AdminCallError('agent_unreachable', `the agent on ${where} did not answer: ${code ?? (err as Error).message}`);
      }
      const { status, body } = res;
      if (status !== 200) {
        const code = typeof body?.error === 'string' ? body.error : codeFor(status);
        throw new AdminCallError(code, typeof body?.message === 'string' ? body.message : `HTTP ${status}`);
      }
      const output = AdminContract[op].output.safeParse(body?.result);
      if (!output.success) throw new AdminCallError('bad_response', `the agent on ${where} answered ${op} with something this app does not understand (a different version?)`);
      return output.data as AdminOutput<typeof op>;
    },
    close: options.owned?.stop ?? (async () => undefined),
  };
}

export interface StartOrAttachOptions {
  dataDir: string;
  log?: Logger;
  /** How long a running core has to answer agent.info before we start our own. */
  probeTimeoutMs?: number;
  /** startAgent, or a stand-in in tests. */
  start?: (options: AgentOptions) => Promise<Agent>;
  agentOptions?: Omit<AgentOptions, 'dataDir' | 'log'>;
}

export interface Core {
  transport: AdminTransport;
  /** Set when this process runs the core. */
  agent: Agent | null;
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : path.resolve(p));
  return real(a) === real(b);
}

/** The admin port from the settings, read only: a probe must not write a settings file. */
function adminPort(dataDir: string): number {
  const file = dataFiles(dataDir).settings;
  return existsSync(file) ? loadSettings(file).settings.admin.port : defaultSettings().admin.port;
}

/**
 * Attaches to the core already running for this data directory (its admin API answers agent.info
 * with our token) or starts one in this process. A core of another data directory on our admin
 * port is an error: starting ours would only fail on the busy port with a vaguer message.
 */
export async function startOrAttach(options: StartOrAttachOptions): Promise<Core> {
  const files = dataFiles(options.dataDir);
  if (existsSync(files.adminToken)) {
    const port = options.agentOptions?.adminPort ?? adminPort(options.dataDir);
    const probe = httpTransport({ port, tokenFile: files.adminToken, timeoutMs: options.probeTimeoutMs ?? 1_500 });
    const info = await probe.call('agent.info', {}).catch(() => null);
    if (info && !samePath(info.dataDir, options.dataDir)) {
      throw new Error(`the admin port ${port} is used by a Billing Bridge agent of another data directory (${info.dataDir}); stop it or give this one another admin.port in ${files.settings}`);
    }
    if (info) {
      options.log?.info({ adminUrl: probe.adminUrl, version: info.version }, 'attached to the running agent');
      return { transport: httpTransport({ port, tokenFile: files.adminToken }), agent: null };
    }
  }
  const start = options.start ?? (await import('../agent.js')).startAgent;
  const agent = await start({ ...options.agentOptions, dataDir: options.dataDir, log: options.log });
  const stop = () => agent.stop();
  // The agent's own handlers, called without HTTP (the same ones its admin API serves).
  const transport = inProcessTransport({ handlers: agent.handlers, adminUrl: agent.admin.url, stop, log: options.log });
  return { transport, agent };
}
