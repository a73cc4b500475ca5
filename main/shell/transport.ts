// How the shell reaches the core: the one admin client, over handlers called in this process when
// the shell started the core, or over the loopback admin API when a core was already running for
// the data directory (a service, `billing-bridge serve`). Both fail the same way.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { AdminHandlers } from '../../shared/admin.js';
import { adminClient, type AdminClient } from '../../shared/admin-client.js';
import type { Agent, AgentOptions } from '../agent.js';
import { httpSend } from '../admin/client.js';
import { inProcessSend } from '../admin/in-process.js';
import { ADMIN_HOST } from '../admin/server.js';
import type { Logger } from '../logging/logger.js';
import { dataFiles } from '../settings/paths.js';
import { readSettings } from '../settings/store.js';

/** The shell's way to its core: the one admin client, plus where the core is and how it stops. */
export interface AdminTransport extends AdminClient {
  readonly kind: 'in-process' | 'attached';
  /** Where the admin API of the core answers (for the browser-served dashboard and the CLI). */
  readonly adminUrl: string;
  /** Stops the core if this process started it; an attached core keeps running. */
  close(): Promise<void>;
}

export function inProcessTransport(options: { handlers: AdminHandlers; adminUrl: string; stop: () => Promise<void>; log?: Logger }): AdminTransport {
  return { kind: 'in-process', adminUrl: options.adminUrl, ...adminClient(inProcessSend(options.handlers, options.log)), close: options.stop };
}

export interface HttpTransportOptions {
  port: number;
  tokenFile: string;
  /** Long enough for callback.send, which may wait up to 60 s for core. */
  timeoutMs?: number;
}

export function httpTransport(options: HttpTransportOptions): AdminTransport {
  const send = httpSend({ port: options.port, tokenFile: options.tokenFile, timeoutMs: options.timeoutMs ?? 75_000 });
  return { kind: 'attached', adminUrl: `http://${ADMIN_HOST}:${options.port}`, ...adminClient(send), close: async () => undefined };
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
  return readSettings(file).admin.port;
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
